// Builds static/dist: the CSS (GOV.UK Frontend and ours), GOV.UK Frontend's
// JavaScript and ours, and the favicon. Every file but the favicon is named by
// its content's hash, so it can be cached for a year; each is written as sent
// too (gzip and brotli) for WhiteNoise to serve. manifest.json maps each source
// name to the name it is served as (portal/web/assets.py reads it).
//
//     node static/build.mjs       (npm run build; `make assets`)

import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { extname, basename, join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import * as sass from "sass";

const DIST = "static/dist";

rmSync(DIST, { recursive: true, force: true });
mkdirSync(DIST, { recursive: true });
const manifest = {};

function write(name, content) {
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 12);
  const served = `${basename(name, extname(name))}.${hash}${extname(name)}`;
  writeFileSync(join(DIST, served), content);
  writeFileSync(join(DIST, `${served}.gz`), gzipSync(content, { level: 9 }));
  writeFileSync(join(DIST, `${served}.br`), brotliCompressSync(content, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
  }));
  manifest[name] = served;
  return served;
}

const css = sass.compile("static/scss/portal.scss", {
  loadPaths: ["node_modules"], style: "compressed", quietDeps: true, sourceMap: false,
}).css;
write("portal.css", Buffer.from(css));

const frontend = write("govuk-frontend.min.js",
  readFileSync("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js"));
// GOV.UK's accessible autocomplete, as a module: its build sets `self.accessibleAutocomplete`.
const autocomplete = write("accessible-autocomplete.mjs", Buffer.from(
  readFileSync("node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.js", "utf8")
    .replace(/\n\/\/# sourceMappingURL=.*$/, "") +
  "\nexport default self.accessibleAutocomplete;\n"));
// portal.mjs imports GOV.UK Frontend and the autocomplete by their served names.
write("portal.mjs", Buffer.from(readFileSync("static/js/portal.mjs", "utf8")
  .replace("./govuk-frontend.min.js", `./${frontend}`)
  .replace("./accessible-autocomplete.mjs", `./${autocomplete}`)));
write("timeout.mjs", readFileSync("static/js/timeout.mjs"));

// Browsers ask for /favicon.ico whatever the page says, so it keeps its name.
copyFileSync("static/images/favicon.ico", join(DIST, "favicon.ico"));
copyFileSync("static/images/favicon.svg", join(DIST, "favicon.svg"));

writeFileSync(join(DIST, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
