//! restage: lint Dockerfiles and turn them into lean multi-stage builds.
//!
//! The library is pure: no I/O, no globals, no panics on any input. The
//! binary (`restage`) and the web service only move its results around.

pub mod dockerfile;
