#pragma once

#include <QChartView>
#include <QList>

class QLineSeries;
class QValueAxis;

namespace swarm {

// One chart of values over the run's time (seconds since it started). Points are appended as
// the engine's time series grows and dropped once older than the visible window, so a long run
// costs the same each second as a short one; the axes follow the visible points.
class TimeChart : public QChartView
{
    Q_OBJECT
public:
    TimeChart(const QString& title, const QString& unit, QWidget* parent = nullptr);

    // A new line; `secondary` puts it on a right-hand axis of its own (errors/s beside req/s).
    int addSeries(const QString& name, const QColor& color, bool secondary = false);
    int seriesCount() const { return int(m_series.size()); }
    QLineSeries* series(int i) const { return m_series[i]; }
    void setSecondaryUnit(const QString& unit);
    // Removes the lines after the first `keep`.
    void removeSeriesFrom(int keep);

    void append(int series, double seconds, double value);
    void replace(int series, const QList<QPointF>& points);
    // The visible span in seconds (0: the whole run); `now` is the newest time shown.
    void setWindow(double seconds) { m_window = seconds; }
    double window() const { return m_window; }
    void refresh(double now);
    void clearPoints();
    int pointCount(int series) const;

    bool savePng(const QString& path, QString* error);
    QString title() const { return m_title; }

Q_SIGNALS:
    void saveRequested(swarm::TimeChart* chart);

protected:
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    QString m_title;
    QList<QLineSeries*> m_series;
    QList<bool> m_secondary;
    QValueAxis* m_x;
    QValueAxis* m_y;
    QValueAxis* m_y2 = nullptr;
    double m_window = 300;
};

} // namespace swarm
