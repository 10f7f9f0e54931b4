"""Qt item models (QAbstractTableModel with column constants) over service dataclasses."""
