// The timeout warning: two minutes before the server would end an idle session,
// a modal dialog offers to keep it. "Stay signed in" (or Escape) asks the server
// to restart its idle clock; doing nothing signs the person out.
const dialog = document.getElementById("timeout-warning");

if (dialog && typeof dialog.showModal === "function") {
  const warnAfter = Number(dialog.dataset.warnAfter) * 1000;
  const warning = Number(dialog.dataset.warningSeconds) * 1000;
  const signOutForm = dialog.querySelector("[data-sign-out]");
  let warnTimer;
  let signOutTimer;

  // Signing out is a form sent to the server, so that no other site can do it by a link.
  const signOut = () => {
    signOutForm.elements.timed_out.value = "1";
    signOutForm.submit();
  };

  const start = () => {
    clearTimeout(warnTimer);
    clearTimeout(signOutTimer);
    warnTimer = setTimeout(() => {
      dialog.showModal();
      signOutTimer = setTimeout(signOut, warning);
    }, warnAfter);
  };

  const stay = async () => {
    const answer = await fetch(dialog.dataset.keepAlive, {
      method: "POST",
      headers: { "X-CSRFToken": dialog.dataset.csrf },
      credentials: "same-origin",
    });
    if (!answer.ok) {
      signOut();
      return;
    }
    dialog.close();
    start();
  };

  dialog.querySelector("[data-keep-alive-button]").addEventListener("click", stay);
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay();
  });
  start();
}
