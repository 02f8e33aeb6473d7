"""The other end of each MLAG interface: the dual-homed server's bond, generated from the same
intent as the pair and checked against it, offline and live."""
