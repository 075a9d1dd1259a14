//! mittwald backup actions (see the module above).
