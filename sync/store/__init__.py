"""The registry of signatories: its CSV files, their shards and what signsync checks of them."""
