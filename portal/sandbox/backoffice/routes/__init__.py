"""The sandbox back office's API, one blueprint for each part of the contract."""
