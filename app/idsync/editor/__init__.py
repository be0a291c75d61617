"""The editor's view-models: its steps, what each identifier cell offers, how rows
changed. Qt-free, so they are tested on their own; the window (app/idsync/ui) draws them."""
