"""One widget per file; each draws tensors of a Trace (never computes model maths)."""
import pyqtgraph as pg

pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)
