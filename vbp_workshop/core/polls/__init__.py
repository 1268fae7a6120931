"""Polls: the kinds (`kinds`), tallies and their group and sector splits (`tally`, `sectors`),
spreads (`spreads`), divergence (`divergence`), and reading polls and results from the file
(`queries`)."""
