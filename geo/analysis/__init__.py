"""The pure stages: frames in, frames out, no files and no globals. Wards and points (in British National Grid,
by the one pinned transformation), rates with intervals, deprivation, hotspots, control charts, funnels, change."""
