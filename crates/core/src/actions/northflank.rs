//! northflank backup actions (see the module above).
