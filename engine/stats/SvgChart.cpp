#include "stats/SvgChart.h"

#include <QStringList>

#include <algorithm>
#include <cmath>

namespace swarm {

namespace {

// Room around the plot for the axis labels and the legend.
constexpr int kLeft = 64;
constexpr int kRight = 16;
constexpr int kTop = 40;
constexpr int kBottom = 34;
constexpr int kYTicks = 4;
constexpr int kXTicks = 8;

QString escaped(const QString& text)
{
    return text.toHtmlEscaped();
}

QString num(double v)
{
    return QString::number(v, 'f', 1);
}

} // namespace

SvgChart::SvgChart(const QString& title, Unit unit)
    : m_title(title)
    , m_unit(unit)
    , m_xLabel(QStringLiteral("seconds"))
{ }

void SvgChart::addSeries(const QString& name, const QString& color, std::vector<double> values)
{
    m_series.push_back({name, color, std::move(values)});
}

double SvgChart::niceCeiling(double value)
{
    if (!(value > 0)) return 1;
    const double power = std::pow(10.0, std::floor(std::log10(value)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * power >= value * (1 - 1e-9)) return m * power;
    return 10 * power;
}

QString SvgChart::formatValue(double v, Unit unit)
{
    if (unit == Unit::Micros) {
        if (v < 1000) return QStringLiteral("%1µs").arg(v, 0, 'g', 3);
        if (v < 1e6) return QStringLiteral("%1ms").arg(v / 1000, 0, 'g', 3);
        return QStringLiteral("%1s").arg(v / 1e6, 0, 'g', 3);
    }
    QString text;
    if (v >= 1e6)
        text = QStringLiteral("%1M").arg(v / 1e6, 0, 'g', 3);
    else if (v >= 1e3)
        text = QStringLiteral("%1k").arg(v / 1e3, 0, 'g', 3);
    else
        text = QString::number(v, 'g', 3);
    return unit == Unit::PerSecond ? text + QStringLiteral("/s") : text;
}

QString SvgChart::toSvg(int width, int height) const
{
    QString out = QStringLiteral("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
                                 "viewBox=\"0 0 %1 %2\" role=\"img\" aria-label=\"%3\">")
                      .arg(width)
                      .arg(height)
                      .arg(escaped(m_title));
    out += QStringLiteral("<text x=\"%1\" y=\"16\" class=\"title\">%2</text>")
               .arg(kLeft)
               .arg(escaped(m_title));
    if (isEmpty()) {
        out += QStringLiteral("<text x=\"%1\" y=\"%2\" class=\"empty\">no data</text></svg>")
                   .arg(width / 2)
                   .arg(height / 2);
        return out;
    }
    const auto [lo, hi] = std::minmax_element(m_xs.begin(), m_xs.end());
    const double xMin = *lo;
    const double xMax = *hi > *lo ? *hi : *lo + 1;
    double top = 0;
    for (const Series& s : m_series)
        for (double v : s.values)
            if (std::isfinite(v)) top = std::max(top, v);
    const double yMax = niceCeiling(top);
    out += axes(xMin, xMax, yMax, width, height);
    for (const Series& s : m_series)
        out += line(s, xMin, xMax, yMax, width, height);
    out += legend(width);
    return out + QStringLiteral("</svg>");
}

QString SvgChart::axes(double xMin, double xMax, double yMax, int width, int height) const
{
    const double plotW = width - kLeft - kRight;
    const double plotH = height - kTop - kBottom;
    QString out;
    for (int i = 0; i <= kYTicks; ++i) {
        const double y = kTop + plotH * (1.0 - double(i) / kYTicks);
        out += QStringLiteral("<line class=\"grid\" x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\"/>"
                              "<text class=\"ylabel\" x=\"%4\" y=\"%5\">%6</text>")
                   .arg(kLeft)
                   .arg(num(y))
                   .arg(width - kRight)
                   .arg(kLeft - 6)
                   .arg(num(y + 4))
                   .arg(escaped(formatValue(yMax * i / kYTicks, m_unit)));
    }
    std::vector<std::pair<double, QString>> ticks = m_xTicks;
    if (ticks.empty()) {
        const double step = niceCeiling((xMax - xMin) / kXTicks);
        for (double x = std::ceil(xMin / step) * step; x <= xMax + 1e-9; x += step)
            ticks.emplace_back(x, QString::number(x, 'g', 6));
    }
    for (const auto& [x, label] : ticks) {
        const double px = kLeft + plotW * (x - xMin) / (xMax - xMin);
        out += QStringLiteral("<text class=\"xlabel\" x=\"%1\" y=\"%2\">%3</text>")
                   .arg(num(px))
                   .arg(height - kBottom + 16)
                   .arg(escaped(label));
    }
    out += QStringLiteral("<line class=\"axis\" x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\"/>"
                          "<text class=\"xname\" x=\"%3\" y=\"%4\">%5</text>")
               .arg(kLeft)
               .arg(num(kTop + plotH))
               .arg(width - kRight)
               .arg(height - 4)
               .arg(escaped(m_xLabel));
    return out;
}

QString SvgChart::line(
    const Series& s, double xMin, double xMax, double yMax, int width, int height) const
{
    const double plotW = width - kLeft - kRight;
    const double plotH = height - kTop - kBottom;
    QStringList runs; // a polyline per stretch without gaps
    QString points;
    const size_t n = std::min(s.values.size(), m_xs.size());
    for (size_t i = 0; i < n; ++i) {
        const double v = s.values[i];
        if (!std::isfinite(v)) {
            if (!points.isEmpty()) runs << points;
            points.clear();
            continue;
        }
        const double px = kLeft + plotW * (m_xs[i] - xMin) / (xMax - xMin);
        const double py = kTop + plotH * (1.0 - std::min(v, yMax) / yMax);
        points += num(px) + QLatin1Char(',') + num(py) + QLatin1Char(' ');
    }
    if (!points.isEmpty()) runs << points;
    QString out = QStringLiteral("<g class=\"series\" stroke=\"%1\"><title>%2</title>")
                      .arg(escaped(s.color), escaped(s.name));
    for (const QString& run : runs) {
        // A lone point would draw nothing as a line: a dot instead.
        if (run.count(QLatin1Char(' ')) == 1) {
            const QStringList xy = run.trimmed().split(QLatin1Char(','));
            out += QStringLiteral("<circle cx=\"%1\" cy=\"%2\" r=\"2.5\" fill=\"%3\"/>")
                       .arg(xy[0], xy[1], escaped(s.color));
        } else {
            out += QStringLiteral("<polyline fill=\"none\" points=\"%1\"/>").arg(run.trimmed());
        }
    }
    return out + QStringLiteral("</g>");
}

QString SvgChart::legend(int width) const
{
    QString out;
    double x = kLeft;
    for (const Series& s : m_series) {
        if (x > width - 120) break;
        out += QStringLiteral("<rect x=\"%1\" y=\"24\" width=\"12\" height=\"4\" fill=\"%2\"/>"
                              "<text class=\"legend\" x=\"%3\" y=\"30\">%4</text>")
                   .arg(num(x))
                   .arg(escaped(s.color))
                   .arg(num(x + 16))
                   .arg(escaped(s.name));
        x += 28 + 7.0 * s.name.size();
    }
    return out;
}

} // namespace swarm
