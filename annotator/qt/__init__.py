"""The Qt window. Only this subpackage imports Qt; it subscribes to the Qt-free store."""
