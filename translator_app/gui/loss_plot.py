"""The live training plot: loss per step (raw and smoothed) above, validation BLEU per epoch below.

Two pyqtgraph plots share the step axis, so zooming or panning one moves the other (mouse wheel
zooms, drag pans, right-click → View All, or the "A" button puts everything back in view). The
validation loss of each epoch sits on the loss plot at the step where the epoch ended, its BLEU on
the plot below, beside the BLEU on the base model's general German sample when a fine-tune measures
one (core.replay: what is gained on the user's pairs and what is lost on everyday German, with the
base model as epoch 0). Points are collected as they arrive and drawn at most every ``REDRAW_MS``, so a
fast run's hundreds of steps per second never flood the event loop. pyqtgraph is imported on first
use, so the window does not pay for it at start-up.
"""

from __future__ import annotations

import bisect
import math
from typing import TYPE_CHECKING, Sequence

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QVBoxLayout, QWidget

if TYPE_CHECKING:
    from pyqtgraph import GraphicsLayoutWidget

RAW_COLOR = "#7fa7d9"  # distinct on both the light and the dark palette
SMOOTH_COLOR = "#1f63c6"
VAL_LOSS_COLOR = "#e8710a"
BLEU_COLOR = "#2e9d4f"
GENERAL_BLEU_COLOR = "#9b3fb5"  # the general German sample's BLEU: apart from the user's green
GENERAL_LABEL = "general German BLEU"


class LossPlot(QWidget):
    redrawn = Signal()  # the curves now show every point received

    REDRAW_MS = 250
    SMOOTHING = 0.9  # EMA weight of the past (debiased, as TensorBoard does)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("lossPlot")
        self.setAccessibleName("Training loss and validation BLEU")
        self.setToolTip(
            "Training loss per step (raw and smoothed) and validation loss and BLEU per epoch;\n"
            "when fine-tuning, also the BLEU on general German (the base model is epoch 0).\n"
            "Wheel: zoom · drag: pan · right-click: View All"
        )
        self.setMinimumHeight(180)
        self.steps: list[float] = []
        self.losses: list[float] = []
        self.smoothed: list[float] = []
        self.epoch_steps: list[float] = []
        self.val_losses: list[float] = []
        self.val_bleus: list[float] = []
        self.general_bleus: list[float] = []  # NaN where an epoch has none (no general sample)
        self.epochs: list[int] = []
        self._ema = 0.0
        self._ema_count = 0
        self._dirty = False
        self._graphics: GraphicsLayoutWidget | None = None  # made on first show (pyqtgraph loads slowly)
        self._epoch_lines: list = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._timer = QTimer(self, interval=self.REDRAW_MS)
        self._timer.timeout.connect(self.flush)

    # ---- data ------------------------------------------------------------------------------------

    def clear(self) -> None:
        for values in (
            self.steps,
            self.losses,
            self.smoothed,
            self.epoch_steps,
            self.val_losses,
            self.val_bleus,
            self.general_bleus,
            self.epochs,
        ):
            values.clear()
        self._ema, self._ema_count = 0.0, 0
        if self._graphics is not None:  # a new run: fresh axes, whatever the last one was zoomed to
            for item in (self.loss_item, self.bleu_item):
                item.enableAutoRange()
        self._mark_dirty()

    def add_step(self, step: int, loss: float) -> None:
        self._ema_count += 1
        self._ema = self.SMOOTHING * self._ema + (1 - self.SMOOTHING) * loss
        self.steps.append(float(step))
        self.losses.append(float(loss))
        self.smoothed.append(self._ema / (1 - self.SMOOTHING**self._ema_count))
        self._mark_dirty()

    def add_epoch(
        self, epoch: int, step: int, val_loss: float | None, val_bleu: float | None, general_bleu: float | None = None
    ) -> None:
        if epoch in self.epochs:  # a resumed run repeats nothing, but be safe
            return
        at = bisect.bisect(self.epochs, int(epoch))  # in epoch order, whichever arrives first (a base model's 0)
        self.epochs.insert(at, int(epoch))
        self.epoch_steps.insert(at, float(step))
        self.val_losses.insert(at, float("nan") if val_loss is None else float(val_loss))
        self.val_bleus.insert(at, float("nan") if val_bleu is None else float(val_bleu))
        self.general_bleus.insert(at, float("nan") if general_bleu is None else float(general_bleu))
        self._mark_dirty()

    def set_history(self, history: list[dict], step_losses: Sequence[Sequence[float]] = ()) -> None:
        """What a resumed run's checkpoint kept: its step losses (thinned on long runs) and its epochs."""
        self.clear()
        for step, loss in step_losses:
            self.add_step(int(step), float(loss))
        for record in history:
            self.add_epoch(
                int(record.get("epoch", len(self.epochs) + 1)),
                int(record.get("step", 0)),
                record.get("val_loss"),
                record.get("val_bleu"),
                record.get("general_bleu"),
            )

    @property
    def step_points(self) -> int:
        return len(self.steps)

    @property
    def epoch_points(self) -> int:
        return len(self.epochs)

    def general_points(self) -> tuple[list[float], list[float]]:
        """(steps, BLEU) of the epochs measured on the general sample: the others are not drawn at all."""
        kept = [(s, b) for s, b in zip(self.epoch_steps, self.general_bleus) if math.isfinite(b)]
        return [s for s, _ in kept], [b for _, b in kept]

    # ---- drawing ---------------------------------------------------------------------------------

    def _mark_dirty(self) -> None:
        self._dirty = True
        if not self._timer.isActive():
            self._timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._ensure_graphics()
        self.flush()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_legend()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._graphics is not None:
            self._apply_palette()

    def _ensure_graphics(self) -> None:
        if self._graphics is not None:
            return
        import pyqtgraph as pg

        self._pg = pg
        graphics = pg.GraphicsLayoutWidget()
        graphics.setObjectName("lossPlotGraphics")
        graphics.ci.setContentsMargins(4, 4, 8, 4)
        # One legend for both plots, in a row of its own above them, so it never hides a curve.
        self.legend = pg.LegendItem(colCount=5, horSpacing=18, verSpacing=-6)
        graphics.addItem(self.legend, row=0, col=0)
        self.loss_item = graphics.addPlot(row=1, col=0)
        self.bleu_item = graphics.addPlot(row=2, col=0)
        graphics.ci.layout.setRowStretchFactor(1, 3)
        graphics.ci.layout.setRowStretchFactor(2, 1)
        self.bleu_item.setXLink(self.loss_item)
        self.bleu_item.setMinimumHeight(110)  # two BLEU curves (the user's and general German) and their changes
        for item in (self.loss_item, self.bleu_item):
            item.setDownsampling(auto=True, mode="peak")
            item.setClipToView(True)
            item.showGrid(x=True, y=True, alpha=0.15)
            item.getAxis("left").setWidth(48)
        self.loss_item.setLabel("left", "loss")
        self.loss_item.getAxis("bottom").setStyle(showValues=False)
        self.bleu_item.setLabel("left", "BLEU")
        self.bleu_item.setLabel("bottom", "step")
        self.bleu_item.getAxis("bottom").enableAutoSIPrefix(False)  # "step", never "step (x0.001)"
        self.loss_item.setMouseEnabled(x=True, y=True)
        self.raw_curve = self.loss_item.plot([], [], pen=pg.mkPen(RAW_COLOR, width=1))
        self.smooth_curve = self.loss_item.plot([], [], pen=pg.mkPen(SMOOTH_COLOR, width=2.5))
        self.val_curve = self.loss_item.plot(
            [], [], pen=pg.mkPen(VAL_LOSS_COLOR, width=2), symbol="o", symbolSize=8, symbolBrush=VAL_LOSS_COLOR, symbolPen=None
        )
        self.bleu_curve = self.bleu_item.plot(
            [], [], pen=pg.mkPen(BLEU_COLOR, width=2), symbol="s", symbolSize=7, symbolBrush=BLEU_COLOR, symbolPen=None
        )
        self.general_curve = self.bleu_item.plot(
            [],
            [],
            pen=pg.mkPen(GENERAL_BLEU_COLOR, width=2, style=Qt.PenStyle.DashLine),
            symbol="d",
            symbolSize=8,
            symbolBrush=GENERAL_BLEU_COLOR,
            symbolPen=None,
        )
        for curve, label in (
            (self.raw_curve, "training loss"),
            (self.smooth_curve, "smoothed (EMA)"),
            (self.val_curve, "validation loss"),
            (self.bleu_curve, "validation BLEU"),
        ):
            self.legend.addItem(curve, label)
        self._graphics = graphics
        self._layout.addWidget(graphics)
        self._apply_palette()
        self._fit_legend()

    def _apply_palette(self) -> None:
        if self._graphics is None:
            return
        pg = self._pg
        palette = self.palette()
        background = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        self._graphics.setBackground(background)
        for item in (self.loss_item, self.bleu_item):
            for name in ("left", "bottom"):
                axis = item.getAxis(name)
                axis.setPen(pg.mkPen(text))
                axis.setTextPen(pg.mkPen(text))
        self.legend.setLabelTextColor(text)
        for _sample, label in self.legend.items:
            label.setText(label.text, color=text)
        self._epoch_pen = pg.mkPen(QColor(text.red(), text.green(), text.blue(), 60), width=1, style=Qt.PenStyle.DashLine)
        for line in self._epoch_lines:
            line.setPen(self._epoch_pen)

    def flush(self) -> None:
        """Draw what has arrived (called by the throttle timer; call it before grabbing a screenshot)."""
        self._timer.stop()
        if self._graphics is None:
            if not self.isVisible():
                return  # drawn on first show
            self._ensure_graphics()
        self._dirty = False
        self.raw_curve.setData(self.steps, self.losses)
        self.smooth_curve.setData(self.steps, self.smoothed)
        self.val_curve.setData(self.epoch_steps, self.val_losses)
        self.bleu_curve.setData(self.epoch_steps, self.val_bleus)
        general_steps, general_bleus = self.general_points()
        self.general_curve.setData(general_steps, general_bleus)
        self._show_general_in_legend(bool(general_steps))
        while len(self._epoch_lines) > len(self.epoch_steps):
            line = self._epoch_lines.pop()
            self.loss_item.removeItem(line)
        for index, step in enumerate(self.epoch_steps):
            if index < len(self._epoch_lines):
                self._epoch_lines[index].setValue(step)
                continue
            line = self._pg.InfiniteLine(pos=step, angle=90, pen=self._epoch_pen, movable=False)
            self.loss_item.addItem(line, ignoreBounds=True)
            self._epoch_lines.append(line)
        self.redrawn.emit()

    def _show_general_in_legend(self, shown: bool) -> None:
        """The general curve is named only while it has points (a new model, or a base without a sample, has none)."""
        named = any(sample.item is self.general_curve for sample, _label in self.legend.items)
        if shown and not named:
            self.legend.addItem(self.general_curve, GENERAL_LABEL)  # in the palette's text colour (setLabelTextColor)
            self._fit_legend()
        elif named and not shown:
            self.legend.removeItem(self.general_curve)
            self._fit_legend()

    def _fit_legend(self) -> None:
        """As many legend columns as the width holds: a legend wider than the plot would push it off the right edge."""
        if self._graphics is None or not self.legend.items:
            return
        spacing = self.legend.layout.horizontalSpacing()
        widths = [
            sample.boundingRect().width() + label.item.boundingRect().width() + 2 * spacing for sample, label in self.legend.items
        ]
        columns = len(widths)
        while columns > 1 and sum(max(widths[c::columns]) for c in range(columns)) > self.width() - 24:
            columns -= 1  # entries fill the rows left to right: column c holds entries c, c + columns, ...
        self.legend.setColumnCount(columns)
