"""A real RTSP server for tests: GStreamer's gst-rtsp-server streaming an H.264 MP4 file in real time.

Usage: python3 rtsp-server.py PORT MOUNT VIDEO.mp4   (PORT 0 picks a free port)
Prints "ready PORT" once it accepts connections; runs until killed.
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

Gst.init(None)
port, mount, video = sys.argv[1], sys.argv[2], sys.argv[3]
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(
    '( filesrc location="%s" ! qtdemux ! rtph264pay name=pay0 pt=96 config-interval=1 )' % video)
factory.set_shared(True)
server.get_mount_points().add_factory(mount, factory)
server.attach(None)
print("ready %d" % server.get_bound_port(), flush=True)
GLib.MainLoop().run()
