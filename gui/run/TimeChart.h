#pragma once

#include <QChartView>
#include <QDateTime>
#include <QList>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace swarm {

// One chart of values over the run's time. Callers give times in seconds since the run started;
// the x-axis shows them as wall-clock time from the run's start (setOrigin), with ticks on round
// seconds or minutes, as many as the width can label. Points are appended as the engine's time
// series grows and dropped once older than the visible window, so a long run costs the same each
// second as a short one. The y-axes fit the visible points with round ticks (whole numbers for
// counts). Hovering shows the values under the cursor; clicking a legend entry hides its line.
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
    // Values are counts: whole-number ticks and labels (connections).
    void setIntegerValues(bool integer) { m_integer = integer; }
    // This line stays drawn above the others (the total over the states it sums).
    void setOnTop(int series) { m_onTop = series; }
    // Removes the lines after the first `keep`.
    void removeSeriesFrom(int keep);

    // The wall-clock time of second 0 of the run.
    void setOrigin(const QDateTime& origin);
    void append(int series, double seconds, double value);
    void replace(int series, const QList<QPointF>& points);
    // The visible span in seconds (0: the whole run); `now` is the newest time shown.
    void setWindow(double seconds) { m_window = seconds; }
    double window() const { return m_window; }
    void refresh(double now);
    void clearPoints();
    int pointCount(int series) const;
    // A past run's line to compare with (dashed, on the main axis; times since its start), kept
    // across clearPoints until replaced; empty points remove it.
    void setOverlay(const QString& name, const QList<QPointF>& points);
    QLineSeries* overlay() const { return m_overlay; }
    // The values of every visible line at the time under `pos` (the hover text), or empty.
    QString valuesAt(const QPoint& pos) const;

    bool savePng(const QString& path, QString* error);
    QString title() const { return m_title; }

Q_SIGNALS:
    void saveRequested(swarm::TimeChart* chart);

protected:
    void contextMenuEvent(QContextMenuEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void fitTimeAxis();
    void fitValueAxis(QValueAxis* axis, double top) const;
    void connectLegend(QLineSeries* series);
    void raiseTopSeries();
    void placeOverlay();
    double toX(double seconds) const { return m_originMs + seconds * 1000.0; }

    QString m_title;
    QList<QLineSeries*> m_series;
    QList<bool> m_secondary;
    QDateTimeAxis* m_x;
    QValueAxis* m_y;
    QValueAxis* m_y2 = nullptr;
    QLineSeries* m_overlay = nullptr;
    QList<QPointF> m_overlayPoints; // seconds since the past run's start
    double m_window = 300;
    double m_now = 0; // seconds: the newest time shown
    double m_originMs = 0;
    bool m_integer = false;
    int m_onTop = -1;
};

} // namespace swarm
