"""Media backends behind one small protocol."""
