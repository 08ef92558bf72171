"""One client per external API. Nothing outside this package knows another
service's URLs or wire format."""
