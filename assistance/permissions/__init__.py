"""The assistance app's permissions, one module per part (applications, files, campaigns)."""
