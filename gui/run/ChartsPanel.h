#pragma once

#include "stats/StatsSnapshot.h"

#include <QWidget>

#include <array>
#include <functional>

class QComboBox;
class QGridLayout;
class QHBoxLayout;

namespace swarm {

class RunHistory;
class RunSession;
class TimeChart;

// The run over time, from the engine's time series, once a second: connections by state,
// requests/s and errors/s, latency p50 and p99 (in the open model also from the intended start).
// The visible window is adjustable; any chart can be saved as PNG.
class ChartsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ChartsPanel(RunSession* session, QWidget* parent = nullptr);

    TimeChart* connectionsChart() const { return m_connections; }
    TimeChart* throughputChart() const { return m_throughput; }
    TimeChart* latencyChart() const { return m_latency; }
    QList<TimeChart*> charts() const { return {m_connections, m_throughput, m_latency}; }
    QComboBox* windowBox() const { return m_windowBox; }
    // Past runs to compare with: "Compare with" draws the chosen one's requests/s and p99 dotted
    // beside the current run's, both from their own start.
    void setHistory(RunHistory* history);
    QComboBox* compareBox() const { return m_compareBox; }

    // Seconds shown (0: the whole run).
    int windowSeconds() const;
    void setWindowSeconds(int seconds);
    // Asks where, then saves; `chart` null saves all three side by side.
    void saveChartDialog(TimeChart* chart);
    bool saveAll(const QString& path, QString* error);

Q_SIGNALS:
    void windowChanged(int seconds);
    void message(const QString& text);

private:
    void setUpSeries();
    QHBoxLayout* makeBar();
    QGridLayout* makeGrid();
    void connectParts(RunSession* session);
    void onStats();
    void rebuild();
    void reset();
    QList<QPointF> points(const std::function<double(const TimeSample&)>& value) const;
    int stateSeries(int state);
    void addCorrectedSeries();
    void replaceCorrected();
    void appendCorrected(double x, const TimeSample& t);

    RunSession* m_session;
    TimeChart* m_connections;
    TimeChart* m_throughput;
    TimeChart* m_latency;
    QComboBox* m_windowBox;
    QComboBox* m_compareBox;
    RunHistory* m_history = nullptr;
    void showComparison();
    void saveComparedReport();
    std::array<int, kStateCount> m_stateSeries;
    qint64 m_lastMs = -1;
    int m_tlsSeries = -1; // the latency chart's "TLS handshake p99", from the first handshake
    // The latency chart's "p50 from intended start" (and p99 after it), in the open model only.
    int m_correctedSeries = -1;
};

} // namespace swarm
