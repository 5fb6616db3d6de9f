#pragma once

#include <QString>

#include <utility>
#include <vector>

namespace swarm {

// A line chart as inline SVG text, for the HTML report: one x axis shared by its series, a y
// axis from 0 to a round number above the largest value, a legend, and a <title> on each series
// (the browser shows it on hover). Pure text: no Qt Gui, no script, no network.
class SvgChart
{
public:
    enum class Unit { Count, PerSecond, Micros };
    struct Series
    {
        QString name;
        QString color; // any CSS colour
        std::vector<double> values; // one per x; NaN: no value there (a gap)
    };

    SvgChart(const QString& title, Unit unit);
    void setX(std::vector<double> xs) { m_xs = std::move(xs); }
    // Labels at chosen x positions instead of the automatic ones (seconds of the run).
    void setXTicks(std::vector<std::pair<double, QString>> ticks) { m_xTicks = std::move(ticks); }
    void setXLabel(const QString& label) { m_xLabel = label; }
    void addSeries(const QString& name, const QString& color, std::vector<double> values);
    bool isEmpty() const { return m_series.empty() || m_xs.empty(); }

    QString toSvg(int width = 900, int height = 260) const;

    // "12.5ms", "1.2k", "850/s": short labels for an axis.
    static QString formatValue(double value, Unit unit);
    // The smallest "nice" number (1, 2 or 5 times a power of ten) at or above value.
    static double niceCeiling(double value);

private:
    QString axes(double xMin, double xMax, double yMax, int width, int height) const;
    QString line(
        const Series& s, double xMin, double xMax, double yMax, int width, int height) const;
    QString legend(int width) const;

    QString m_title;
    Unit m_unit;
    QString m_xLabel;
    std::vector<double> m_xs;
    std::vector<std::pair<double, QString>> m_xTicks;
    std::vector<Series> m_series;
};

} // namespace swarm
