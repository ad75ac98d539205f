"""The decision: every atom's verdict, withheld areas, page dispositions and the output sequence."""
