"""The assistance app's services, one module per part (applications, files, campaigns)."""
