"""Native binaries inside wheels: ELF, PE and Mach-O header readers, wheel walking, policies.

Entry point: `wheelscout.binary.audit.audit_wheel`. Readers: `elf.parse_elf`, `pe.parse_pe`,
`macho.parse_macho` (over a seekable ``IO[bytes]``); all raise `MalformedBinary` on bad input.
"""

from wheelscout.binary._stream import MalformedBinary

__all__ = ["MalformedBinary"]
