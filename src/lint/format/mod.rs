//! Output formats of `restage lint`.
