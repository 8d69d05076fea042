"""The lesson itself: data, settings, the network, its training and preprocessing. No I/O beyond the run store."""
