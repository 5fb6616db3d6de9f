#include "run/TimeChart.h"

#include <QChart>
#include <QContextMenuEvent>
#include <QLineSeries>
#include <QMenu>
#include <QPen>
#include <QValueAxis>

#include <cmath>

namespace swarm {

namespace {

// A round upper bound for an axis: 1, 2 or 5 times a power of ten, above the highest point.
double niceCeiling(double v)
{
    if (v <= 0) return 1;
    const double p = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (v <= m * p) return m * p;
    return 10 * p;
}

} // namespace

TimeChart::TimeChart(const QString& title, const QString& unit, QWidget* parent)
    : QChartView(parent)
    , m_title(title)
    , m_x(new QValueAxis)
    , m_y(new QValueAxis)
{
    auto* c = new QChart;
    c->setTitle(title);
    c->setAnimationOptions(QChart::NoAnimation); // a point a second: animation only costs
    c->legend()->setAlignment(Qt::AlignBottom);
    c->setMargins(QMargins(4, 4, 4, 4));
    QFont titleFont = c->titleFont();
    titleFont.setBold(true);
    c->setTitleFont(titleFont);
    m_x->setTitleText(tr("seconds since the run started"));
    m_x->setLabelFormat(QStringLiteral("%d"));
    m_x->setRange(0, 60);
    m_y->setTitleText(unit);
    m_y->setLabelFormat(QStringLiteral("%g"));
    m_y->setRange(0, 1);
    c->addAxis(m_x, Qt::AlignBottom);
    c->addAxis(m_y, Qt::AlignLeft);
    // QChartView(parent) made a default chart, which setChart() releases rather than deletes.
    QChart* const defaultChart = chart();
    setChart(c);
    delete defaultChart;
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(260, 180);
    setToolTip(tr("Right-click to save this chart as PNG"));
}

int TimeChart::addSeries(const QString& name, const QColor& color, bool secondary)
{
    auto* s = new QLineSeries;
    s->setName(name);
    QPen pen(color);
    pen.setWidthF(2);
    s->setPen(pen);
    chart()->addSeries(s);
    s->attachAxis(m_x);
    if (secondary) {
        if (!m_y2) {
            m_y2 = new QValueAxis;
            m_y2->setLabelFormat(QStringLiteral("%g"));
            m_y2->setRange(0, 1);
            chart()->addAxis(m_y2, Qt::AlignRight);
        }
        s->attachAxis(m_y2);
    } else {
        s->attachAxis(m_y);
    }
    m_series << s;
    m_secondary << secondary;
    return int(m_series.size()) - 1;
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

void TimeChart::append(int series, double seconds, double value)
{
    m_series[series]->append(seconds, value);
}

void TimeChart::replace(int series, const QList<QPointF>& points)
{
    m_series[series]->replace(points);
}

int TimeChart::pointCount(int series) const
{
    return m_series[series]->count();
}

void TimeChart::clearPoints()
{
    for (QLineSeries* s : m_series)
        s->clear();
    m_x->setRange(0, m_window > 0 ? m_window : 60);
    m_y->setRange(0, 1);
    if (m_y2) m_y2->setRange(0, 1);
}

void TimeChart::refresh(double now)
{
    const double from = m_window > 0 ? qMax(0.0, now - m_window) : 0.0;
    double top = 0;
    double top2 = 0;
    for (int i = 0; i < m_series.size(); ++i) {
        QLineSeries* s = m_series[i];
        // Points left of the window go: one to the left stays so the line reaches the edge.
        int drop = 0;
        while (drop + 1 < s->count() && s->at(drop + 1).x() <= from)
            ++drop;
        if (drop > 0) s->removePoints(0, drop);
        double& t = m_secondary[i] ? top2 : top;
        for (int p = 0; p < s->count(); ++p)
            t = qMax(t, s->at(p).y());
    }
    const double span = m_window > 0 ? m_window : qMax(60.0, now);
    m_x->setRange(qMax(0.0, now - span), qMax(span, now));
    m_y->setRange(0, niceCeiling(top * 1.1));
    if (m_y2) m_y2->setRange(0, niceCeiling(top2 * 1.1));
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
