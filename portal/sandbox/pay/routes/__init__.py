"""The sandbox Pay's API and pages, one blueprint a part."""
