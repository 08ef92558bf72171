"""The sandbox Notify's API, one blueprint a part."""
