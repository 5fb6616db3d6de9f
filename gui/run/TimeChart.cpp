#include "run/TimeChart.h"

#include "Colors.h"

#include <QChart>
#include <QContextMenuEvent>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QMenu>
#include <QMouseEvent>
#include <QPen>
#include <QToolTip>
#include <QValueAxis>

#include <cmath>
#include <iterator>

namespace swarm {

namespace {

// A round tick step at least `raw`: 1, 2, 2.5 or 5 times a power of ten (2.5 only where the
// ticks stay whole numbers, when `integer`).
double niceStep(double raw, bool integer)
{
    if (integer && raw <= 1) return 1;
    const double p = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (integer && m == 2.5 && p < 10) continue;
        if (raw <= m * p * (1 + 1e-9)) return m * p;
    }
    return 10 * p;
}

// Time tick steps in seconds, each a round wall-clock interval.
constexpr int kTimeSteps[]
    = {1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200};

} // namespace

TimeChart::TimeChart(const QString& title, const QString& unit, QWidget* parent)
    : QChartView(parent)
    , m_title(title)
    , m_x(new QDateTimeAxis)
    , m_y(new QValueAxis)
{
    auto* c = new QChart;
    // The palette decides light or dark: a dark desktop gets a dark chart, not a white box.
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    c->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    c->setBackgroundBrush(palette().brush(QPalette::Base));
    c->setTitle(title);
    c->setAnimationOptions(QChart::NoAnimation); // a point a second: animation only costs
    c->legend()->setAlignment(Qt::AlignBottom);
    c->setMargins(QMargins(4, 4, 4, 4));
    QFont titleFont = c->titleFont();
    titleFont.setBold(true);
    c->setTitleFont(titleFont);
    // Wall-clock times need no title; a unit the chart's title does not already say gets one.
    m_x->setFormat(QStringLiteral("hh:mm:ss"));
    m_y->setTitleText(unit);
    m_y->setRange(0, 1);
    c->addAxis(m_x, Qt::AlignBottom);
    c->addAxis(m_y, Qt::AlignLeft);
    // QChartView(parent) made a default chart, which setChart() releases rather than deletes.
    QChart* const defaultChart = chart();
    setChart(c);
    delete defaultChart;
    setRenderHint(QPainter::Antialiasing);
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    // Small enough for a laptop, large enough that every label and title keeps its text.
    setMinimumSize(240, 170);
    setOrigin(QDateTime::currentDateTime());
}

int TimeChart::addSeries(const QString& name, const QColor& color, bool secondary)
{
    auto* s = new QLineSeries;
    s->setName(name);
    QPen pen(colors::readable(color));
    pen.setWidthF(2);
    s->setPen(pen);
    chart()->addSeries(s);
    s->attachAxis(m_x);
    if (secondary) {
        if (!m_y2) {
            m_y2 = new QValueAxis;
            m_y2->setRange(0, 1);
            chart()->addAxis(m_y2, Qt::AlignRight);
        }
        s->attachAxis(m_y2);
    } else {
        s->attachAxis(m_y);
    }
    m_series << s;
    m_secondary << secondary;
    connectLegend(s);
    raiseTopSeries();
    return int(m_series.size()) - 1;
}

void TimeChart::connectLegend(QLineSeries* s)
{
    for (QLegendMarker* marker : chart()->legend()->markers(s)) {
        const auto show = [this, s, marker] {
            marker->setVisible(true); // a hidden line keeps its entry, dimmed, to bring it back
            QFont f = marker->font();
            f.setStrikeOut(!s->isVisible());
            marker->setFont(f);
            QColor label = palette().color(QPalette::Text);
            label.setAlphaF(s->isVisible() ? 1.0 : 0.45);
            marker->setLabelBrush(label);
        };
        connect(marker, &QLegendMarker::clicked, this, [this, s, show] {
            s->setVisible(!s->isVisible());
            show();
            refresh(m_now);
        });
        show();
    }
}

void TimeChart::raiseTopSeries()
{
    // Lines are drawn in the order added: the one on top goes last again (with its axes).
    if (m_onTop < 0 || m_onTop >= m_series.size() || m_onTop == m_series.size() - 1) return;
    QLineSeries* s = m_series[m_onTop];
    chart()->removeSeries(s);
    chart()->addSeries(s);
    s->attachAxis(m_x);
    s->attachAxis(m_secondary[m_onTop] ? m_y2 : m_y);
    connectLegend(s);
}

void TimeChart::setOverlay(const QString& name, const QList<QPointF>& points)
{
    if (m_overlay) {
        chart()->removeSeries(m_overlay);
        delete m_overlay;
        m_overlay = nullptr;
    }
    if (points.isEmpty()) return refresh(m_now);
    m_overlay = new QLineSeries;
    m_overlay->setName(name);
    QPen pen(palette().color(QPalette::Mid));
    pen.setWidthF(2);
    pen.setStyle(Qt::DotLine);
    m_overlay->setPen(pen);
    chart()->addSeries(m_overlay);
    m_overlay->attachAxis(m_x);
    m_overlay->attachAxis(m_y);
    m_overlayPoints = points;
    placeOverlay();
    connectLegend(m_overlay);
    refresh(m_now);
}

void TimeChart::removeSeriesFrom(int keep)
{
    while (m_series.size() > keep) {
        QLineSeries* s = m_series.takeLast();
        m_secondary.removeLast();
        chart()->removeSeries(s);
        delete s;
    }
}

void TimeChart::setSecondaryUnit(const QString& unit)
{
    if (m_y2) m_y2->setTitleText(unit);
}

void TimeChart::setOrigin(const QDateTime& origin)
{
    m_originMs = double(origin.toMSecsSinceEpoch());
    placeOverlay();
}

void TimeChart::placeOverlay()
{
    if (!m_overlay) return;
    QList<QPointF> shifted;
    shifted.reserve(m_overlayPoints.size());
    for (const QPointF& p : m_overlayPoints)
        shifted << QPointF(toX(p.x()), p.y());
    m_overlay->replace(shifted);
}

void TimeChart::append(int series, double seconds, double value)
{
    m_series[series]->append(toX(seconds), value);
}

void TimeChart::replace(int series, const QList<QPointF>& points)
{
    QList<QPointF> shifted;
    shifted.reserve(points.size());
    for (const QPointF& p : points)
        shifted << QPointF(toX(p.x()), p.y());
    m_series[series]->replace(shifted);
}

int TimeChart::pointCount(int series) const
{
    return m_series[series]->count();
}

void TimeChart::clearPoints()
{
    for (QLineSeries* s : m_series)
        s->clear();
    m_now = 0;
    fitTimeAxis();
    fitValueAxis(m_y, 0);
    if (m_y2) fitValueAxis(m_y2, 0);
}

void TimeChart::refresh(double now)
{
    m_now = now;
    const double from = toX(m_window > 0 ? qMax(0.0, now - m_window) : 0.0);
    double top = 0;
    double top2 = 0;
    for (int i = 0; i < m_series.size(); ++i) {
        QLineSeries* s = m_series[i];
        // Points left of the window go: one to the left stays so the line reaches the edge.
        int drop = 0;
        while (drop + 1 < s->count() && s->at(drop + 1).x() <= from)
            ++drop;
        if (drop > 0) s->removePoints(0, drop);
        if (!s->isVisible()) continue; // a hidden line does not scale the axis
        double& t = m_secondary[i] ? top2 : top;
        for (int p = 0; p < s->count(); ++p)
            t = qMax(t, s->at(p).y());
    }
    fitTimeAxis();
    if (m_overlay && m_overlay->isVisible()) {
        // The past run over the same span of its own time.
        const double lo = m_x->min().toMSecsSinceEpoch();
        const double hi = m_x->max().toMSecsSinceEpoch();
        for (int p = 0; p < m_overlay->count(); ++p)
            if (m_overlay->at(p).x() >= lo && m_overlay->at(p).x() <= hi)
                top = qMax(top, m_overlay->at(p).y());
    }
    fitValueAxis(m_y, top);
    if (m_y2) fitValueAxis(m_y2, top2);
}

// As many round wall-clock ticks as the width can label, the last one at or after now.
void TimeChart::fitTimeAxis()
{
    const double span = m_window > 0 ? m_window : qMax(60.0, m_now);
    const double plotWidth
        = chart()->plotArea().width() > 0 ? chart()->plotArea().width() : width() - 80.0;
    const int labelWidth = fontMetrics().horizontalAdvance(QStringLiteral("88:88:88")) + 20;
    const int maxTicks = qMax(2, int(plotWidth / labelWidth));
    int step = kTimeSteps[std::size(kTimeSteps) - 1];
    for (int s : kTimeSteps) {
        if (std::ceil(span / s) + 1 <= maxTicks) {
            step = s;
            break;
        }
    }
    const int intervals = qMax(1, int(std::ceil(span / step)));
    const double nowMs = toX(m_now);
    // Round in local time: a "12:05" tick is at 12:05 on the user's clock.
    const double offset = QDateTime::fromMSecsSinceEpoch(qint64(nowMs)).offsetFromUtc() * 1000.0;
    const double stepMs = step * 1000.0;
    const double end = std::ceil((nowMs + offset) / stepMs) * stepMs - offset;
    // Each setter lays the axis out again (its labels measured): only what changed is set, and
    // within a tick step the range moves only when a new tick is due.
    const QString format = step < 60 ? QStringLiteral("hh:mm:ss") : QStringLiteral("hh:mm");
    if (m_x->format() != format) m_x->setFormat(format);
    if (m_x->tickCount() != intervals + 1) m_x->setTickCount(intervals + 1);
    const QDateTime min = QDateTime::fromMSecsSinceEpoch(qint64(end - intervals * stepMs));
    const QDateTime max = QDateTime::fromMSecsSinceEpoch(qint64(end));
    if (m_x->min() != min || m_x->max() != max) m_x->setRange(min, max);
}

// From 0 to just above the highest visible point, on round ticks as many as the height fits.
void TimeChart::fitValueAxis(QValueAxis* axis, double top) const
{
    const double plotHeight
        = chart()->plotArea().height() > 0 ? chart()->plotArea().height() : height() - 100.0;
    const int intervals = qBound(1, int(plotHeight / (fontMetrics().height() * 2.2)), 5);
    const double step = top > 0 ? niceStep(top / intervals, m_integer) : 1;
    // A little room above the top, so the highest line is not drawn on the frame.
    const double max = std::ceil(top * 1.02 / step) * step;
    const QString format = m_integer ? QStringLiteral("%d") : QStringLiteral("%.7g");
    if (axis->labelFormat() != format) axis->setLabelFormat(format);
    if (axis->tickType() != QValueAxis::TicksDynamic) {
        axis->setTickType(QValueAxis::TicksDynamic);
        axis->setTickAnchor(0);
    }
    // Never a small step over the old large range in between (a latency peak gone: 2,000 ticks
    // laid out for nothing, seconds of a frozen window): the range shrinks first, or the step
    // grows first.
    const double upper = qMax(max, step);
    if (step < axis->tickInterval()) {
        axis->setRange(0, upper);
        axis->setTickInterval(step);
    } else {
        axis->setTickInterval(step);
        axis->setRange(0, upper);
    }
}

QString TimeChart::valuesAt(const QPoint& pos) const
{
    const QPointF inChart = chart()->mapFromScene(mapToScene(pos));
    if (m_series.isEmpty() || !chart()->plotArea().contains(inChart)) return QString();
    const double x = chart()->mapToValue(inChart, m_series[0]).x();
    QStringList lines;
    double shownX = -1;
    for (QLineSeries* s : m_series) {
        if (!s->isVisible() || s->count() == 0) continue;
        // The point nearest in time: the series are in time order.
        int lo = 0;
        int hi = s->count() - 1;
        while (lo < hi) {
            const int mid = (lo + hi) / 2;
            if (s->at(mid).x() < x)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo > 0 && std::abs(s->at(lo - 1).x() - x) < std::abs(s->at(lo).x() - x)) --lo;
        shownX = s->at(lo).x();
        lines << QStringLiteral("%1: %2").arg(s->name(), QLocale().toString(s->at(lo).y(), 'g', 6));
    }
    if (lines.isEmpty()) return QString();
    lines.prepend(
        QDateTime::fromMSecsSinceEpoch(qint64(shownX)).toString(QStringLiteral("hh:mm:ss")));
    return lines.join(QLatin1Char('\n'));
}

void TimeChart::mouseMoveEvent(QMouseEvent* event)
{
    const QString text = valuesAt(event->pos());
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, this);
    QChartView::mouseMoveEvent(event);
}

void TimeChart::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    refresh(m_now); // as many ticks as the new size labels
}

bool TimeChart::savePng(const QString& path, QString* error)
{
    const QPixmap image = grab();
    if (!image.save(path, "PNG")) {
        *error = tr("cannot write %1").arg(path);
        return false;
    }
    return true;
}

void TimeChart::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu menu(this);
    menu.addAction(tr("Save Chart as PNG…"), this, [this] { Q_EMIT saveRequested(this); });
    menu.exec(event->globalPos());
}

} // namespace swarm
