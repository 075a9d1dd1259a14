//! serveravatar backup actions (see the module above).
