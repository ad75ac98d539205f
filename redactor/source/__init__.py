"""Loading the source: the PDF read into the document model the rules see."""
