"""The assistance app's selectors, one module per part (applications, files, campaigns)."""
