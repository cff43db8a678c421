//! BuildKit's shell-word lexer and variable expansion (`frontend/dockerfile/shell`).
