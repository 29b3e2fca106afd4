"""Training of the learned components from ../shared data (one command: ``sourcebook train``)."""
