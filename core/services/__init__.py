"""What a classroom server needs around the lesson: the run store, the training queue, classroom state, retention."""
