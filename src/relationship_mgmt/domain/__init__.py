"""The pure domain: values, aggregates and BC's rules, free of I/O and clocks."""
