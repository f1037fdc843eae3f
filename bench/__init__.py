"""Benchmarks and data generators. `python -m bench` (make bench) runs every one."""
