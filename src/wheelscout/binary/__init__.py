"""Native binaries inside wheels: ELF, PE and Mach-O header readers, wheel walking, policies."""
