"""Format-specific readers: each turns one kind of file into text lines."""
