"""The Qt layer of KH75 Desktop: windows, pages, Qt models and workers over the core."""
