#include "run/ChartsPanel.h"

#include "run/RunHistory.h"
#include "run/RunSession.h"
#include "run/TimeChart.h"

#include <QComboBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QMenu>
#include <QPainter>
#include <QSignalBlocker>
#include <QToolButton>
#include <QVBoxLayout>

namespace swarm {

namespace {

QColor stateColor(int state)
{
    static const QColor colors[kStateCount] = {
        QColor(0x9e, 0x9e, 0x9e), // started
        QColor(0xf5, 0x7c, 0x00), // connecting
        QColor(0xff, 0xb3, 0x00), // handshaking
        QColor(0x2e, 0x7d, 0x32), // acting
        QColor(0x15, 0x65, 0xc0), // standby
        QColor(0x6a, 0x1b, 0x9a), // timedout
        QColor(0xc6, 0x28, 0x28), // refused
        QColor(0xad, 0x14, 0x57), // reset
        QColor(0x5d, 0x40, 0x37), // closed
        QColor(0xef, 0x6c, 0x00), // protocol_error
        QColor(0xd8, 0x1b, 0x60), // script_error
        QColor(0x37, 0x47, 0x4f), // socket_error
        QColor(0x88, 0x0e, 0x4f), // tls_error
    };
    return colors[state];
}

} // namespace

ChartsPanel::ChartsPanel(RunSession* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    // Short titles that say the unit: a narrow chart keeps them whole, and no axis repeats them.
    , m_connections(new TimeChart(tr("Connections by state"), QString(), this))
    , m_throughput(new TimeChart(tr("Requests/s and errors/s"), QString(), this))
    , m_latency(new TimeChart(tr("Latency, ms"), QString(), this))
    , m_windowBox(new QComboBox(this))
    , m_compareBox(new QComboBox(this))
{
    m_compareBox->setObjectName(QStringLiteral("compareBox"));
    m_compareBox->addItem(tr("no past run"));
    m_compareBox->setEnabled(false);
    m_compareBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_compareBox->setMinimumContentsLength(12); // a long label does not widen the window
    m_compareBox->setToolTip(tr("A past run to draw beside this one (its requests/s and p99, "
                                "from its own start); the last 10 are kept, also when the "
                                "window closes"));
    m_connections->setObjectName(QStringLiteral("connectionsChart"));
    m_throughput->setObjectName(QStringLiteral("throughputChart"));
    m_latency->setObjectName(QStringLiteral("latencyChart"));
    m_windowBox->setObjectName(QStringLiteral("chartWindow"));
    setUpSeries();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(makeBar());
    layout->addLayout(makeGrid(), 1);
    connectParts(session);
}

// The connections' total, in the text colour (dark on light, light on dark), above the states
// it sums; the rates and the percentiles.
void ChartsPanel::setUpSeries()
{
    m_stateSeries.fill(-1);
    QPen total(palette().color(QPalette::WindowText));
    total.setWidthF(2);
    total.setStyle(Qt::DashLine);
    m_connections->addSeries(tr("total"), total.color());
    m_connections->series(0)->setPen(total);
    m_connections->setIntegerValues(true);
    m_connections->setOnTop(0);
    m_throughput->addSeries(tr("requests/s"), QColor(0x15, 0x65, 0xc0));
    m_throughput->addSeries(tr("errors/s (right axis)"), QColor(0xc6, 0x28, 0x28), true);
    m_latency->addSeries(tr("p50"), QColor(0x2e, 0x7d, 0x32));
    m_latency->addSeries(tr("p99"), QColor(0xef, 0x6c, 0x00));
}

// The bar above the charts: the window, the past run to compare, saving.
QHBoxLayout* ChartsPanel::makeBar()
{
    const std::pair<QString, int> windows[] = {{tr("1 minute"), 60}, {tr("5 minutes"), 300},
        {tr("15 minutes"), 900}, {tr("1 hour"), 3600}, {tr("whole run"), 0}};
    for (const auto& [label, seconds] : windows)
        m_windowBox->addItem(label, seconds);
    m_windowBox->setCurrentIndex(1);
    m_windowBox->setToolTip(tr("How much of the run the charts show"));
    auto* save = new QToolButton(this);
    save->setText(tr("Save as PNG"));
    save->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(save);
    for (TimeChart* c : charts())
        menu->addAction(c->title() + QStringLiteral("…"), this, [this, c] { saveChartDialog(c); });
    menu->addSeparator();
    menu->addAction(tr("All Three Charts…"), this, [this] { saveChartDialog(nullptr); });
    save->setMenu(menu);

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Show the last:"), this));
    bar->addWidget(m_windowBox);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("Compare with:"), this));
    bar->addWidget(m_compareBox, 1);
    auto* report = new QToolButton(this);
    report->setObjectName(QStringLiteral("comparedReport"));
    report->setText(tr("Its Report…"));
    report->setToolTip(tr("Save the compared run's report (JSON)"));
    bar->addWidget(report);
    bar->addStretch(1);
    bar->addWidget(save);
    connect(m_compareBox, &QComboBox::currentIndexChanged, this, &ChartsPanel::showComparison);
    connect(report, &QToolButton::clicked, this, &ChartsPanel::saveComparedReport);
    return bar;
}

QGridLayout* ChartsPanel::makeGrid()
{
    auto* grid = new QGridLayout;
    grid->addWidget(m_connections, 0, 0, 1, 2);
    grid->addWidget(m_throughput, 1, 0);
    grid->addWidget(m_latency, 1, 1);
    grid->setRowStretch(0, 1);
    grid->setRowStretch(1, 1);
    return grid;
}

void ChartsPanel::connectParts(RunSession* session)
{
    for (TimeChart* c : charts()) {
        c->setWindow(300);
        connect(c, &TimeChart::saveRequested, this, &ChartsPanel::saveChartDialog);
    }
    connect(m_windowBox, &QComboBox::currentIndexChanged, this, [this] {
        for (TimeChart* c : charts())
            c->setWindow(windowSeconds());
        rebuild();
        Q_EMIT windowChanged(windowSeconds());
    });
    connect(session, &RunSession::statsUpdated, this, &ChartsPanel::onStats);
    connect(session, &RunSession::runReplaced, this, &ChartsPanel::reset);
}

int ChartsPanel::windowSeconds() const
{
    return m_windowBox->currentData().toInt();
}

void ChartsPanel::setWindowSeconds(int seconds)
{
    const int i = m_windowBox->findData(seconds);
    if (i >= 0) m_windowBox->setCurrentIndex(i);
}

QList<QPointF> ChartsPanel::points(const std::function<double(const TimeSample&)>& value) const
{
    QList<QPointF> out;
    const TimeSeries& ts = m_session->timeSeries();
    if (ts.isEmpty()) return out;
    const double now = double(ts.last().elapsedMs) / 1000.0;
    const double from = windowSeconds() > 0 ? now - windowSeconds() : -1.0;
    int first = ts.size() - 1;
    while (first > 0 && double(ts.at(first - 1).elapsedMs) / 1000.0 >= from)
        --first;
    out.reserve(ts.size() - first);
    for (int i = first; i < ts.size(); ++i)
        out << QPointF(double(ts.at(i).elapsedMs) / 1000.0, value(ts.at(i)));
    return out;
}

int ChartsPanel::stateSeries(int state)
{
    if (m_stateSeries[size_t(state)] < 0) {
        // A state shows from the first time a connection is in it, with its past (zeros).
        const int s
            = m_connections->addSeries(QString::fromLatin1(stateName(state)), stateColor(state));
        m_stateSeries[size_t(state)] = s;
        m_connections->replace(
            s, points([state](const TimeSample& t) { return double(t.states[size_t(state)]); }));
    }
    return m_stateSeries[size_t(state)];
}

void ChartsPanel::onStats()
{
    const TimeSeries& ts = m_session->timeSeries();
    if (ts.isEmpty()) return;
    int first = ts.size();
    while (first > 0 && ts.at(first - 1).elapsedMs > m_lastMs)
        --first;
    for (int i = first; i < ts.size(); ++i) {
        const TimeSample& t = ts.at(i);
        const double x = double(t.elapsedMs) / 1000.0;
        m_connections->append(0, x, t.connections);
        for (int st = 0; st < kStateCount; ++st) {
            const int existing = m_stateSeries[size_t(st)];
            if (existing >= 0)
                m_connections->append(existing, x, t.states[size_t(st)]);
            else if (t.states[size_t(st)] > 0)
                stateSeries(st); // filled from the time series, this sample included
        }
        m_throughput->append(0, x, t.rps);
        m_throughput->append(1, x, t.errorsPerSecond);
        m_latency->append(0, x, t.p50Us / 1000.0);
        m_latency->append(1, x, t.p99Us / 1000.0);
        if (m_correctedSeries < 0 && (t.askedRate > 0 || t.correctedP99Us > 0))
            addCorrectedSeries(); // with their past, this sample included
        else if (m_correctedSeries >= 0)
            appendCorrected(x, t);
        if (m_tlsSeries < 0 && t.tlsP99Us > 0) {
            // With --tls only: the handshakes' p99, with its past.
            m_tlsSeries = m_latency->addSeries(tr("TLS handshake p99"), QColor(0x88, 0x0e, 0x4f));
            m_latency->replace(
                m_tlsSeries, points([](const TimeSample& s) { return s.tlsP99Us / 1000.0; }));
        } else if (m_tlsSeries >= 0) {
            m_latency->append(m_tlsSeries, x, t.tlsP99Us / 1000.0);
        }
        m_lastMs = t.elapsedMs;
    }
    const double now = double(ts.last().elapsedMs) / 1000.0;
    for (TimeChart* c : charts())
        c->refresh(now);
}

// The open model's latency from each round's intended start (no coordinated omission), beside
// the service time, as the report draws it: shown from the first sample of an open-model run,
// absent in the closed loop. An interval without a reply has no percentile: a gap, not a zero.
void ChartsPanel::addCorrectedSeries()
{
    m_latency->series(0)->setName(tr("p50 service"));
    m_latency->series(1)->setName(tr("p99 service"));
    m_correctedSeries
        = m_latency->addSeries(tr("p50 from intended start"), QColor(0x00, 0x83, 0x8f));
    m_latency->addSeries(tr("p99 from intended start"), QColor(0xc6, 0x28, 0x28));
    replaceCorrected();
}

void ChartsPanel::replaceCorrected()
{
    const auto measured = [this](quint32 TimeSample::*us) {
        QList<QPointF> all = points([us](const TimeSample& t) { return (t.*us) / 1000.0; });
        all.removeIf([](const QPointF& p) { return p.y() <= 0; });
        return all;
    };
    m_latency->replace(m_correctedSeries, measured(&TimeSample::correctedP50Us));
    m_latency->replace(m_correctedSeries + 1, measured(&TimeSample::correctedP99Us));
}

void ChartsPanel::appendCorrected(double x, const TimeSample& t)
{
    if (t.correctedP50Us > 0) m_latency->append(m_correctedSeries, x, t.correctedP50Us / 1000.0);
    if (t.correctedP99Us > 0)
        m_latency->append(m_correctedSeries + 1, x, t.correctedP99Us / 1000.0);
}

void ChartsPanel::rebuild()
{
    const TimeSeries& ts = m_session->timeSeries();
    m_connections->replace(0, points([](const TimeSample& t) { return double(t.connections); }));
    for (int st = 0; st < kStateCount; ++st)
        if (m_stateSeries[size_t(st)] >= 0)
            m_connections->replace(m_stateSeries[size_t(st)],
                points([st](const TimeSample& t) { return double(t.states[size_t(st)]); }));
    m_throughput->replace(0, points([](const TimeSample& t) { return double(t.rps); }));
    m_throughput->replace(1, points([](const TimeSample& t) { return double(t.errorsPerSecond); }));
    m_latency->replace(0, points([](const TimeSample& t) { return t.p50Us / 1000.0; }));
    m_latency->replace(1, points([](const TimeSample& t) { return t.p99Us / 1000.0; }));
    if (m_tlsSeries >= 0)
        m_latency->replace(
            m_tlsSeries, points([](const TimeSample& t) { return t.tlsP99Us / 1000.0; }));
    if (m_correctedSeries >= 0) replaceCorrected();
    const bool any = !ts.isEmpty();
    m_lastMs = any ? ts.last().elapsedMs : -1;
    const double now = any ? double(m_lastMs) / 1000.0 : 0.0;
    for (TimeChart* c : charts())
        c->refresh(now);
}

void ChartsPanel::reset()
{
    // A new run: its states appear as they come, so the legend lists only those seen.
    m_connections->removeSeriesFrom(1);
    m_stateSeries.fill(-1);
    m_latency->removeSeriesFrom(2);
    m_latency->series(0)->setName(tr("p50"));
    m_latency->series(1)->setName(tr("p99"));
    m_tlsSeries = -1;
    m_correctedSeries = -1;
    const QDateTime started = m_session->runInfo().startedAt;
    for (TimeChart* c : charts()) {
        c->setOrigin(started.isValid() ? started : QDateTime::currentDateTime());
        c->clearPoints();
    }
    m_lastMs = -1;
}

void ChartsPanel::setHistory(RunHistory* history)
{
    m_history = history;
    const auto fill = [this] {
        const QSignalBlocker block(m_compareBox);
        m_compareBox->clear();
        m_compareBox->addItem(tr("none"));
        for (const RunHistory::PastRun& run : m_history->runs())
            m_compareBox->addItem(run.label, run.number);
        m_compareBox->setEnabled(m_compareBox->count() > 1);
        showComparison();
    };
    connect(history, &RunHistory::changed, this, fill);
    if (!history->runs().isEmpty()) fill(); // the runs of the windows before this one
}

void ChartsPanel::showComparison()
{
    const int index = m_compareBox->currentIndex() - 1; // 0 is "none"
    QList<QPointF> rps;
    QList<QPointF> p99;
    QString name;
    if (m_history && index >= 0 && index < m_history->runs().size()) {
        const RunHistory::PastRun& run = m_history->runs()[index];
        name = tr("run %1").arg(run.number);
        for (int i = 0; i < run.series->size(); ++i) {
            const TimeSample& t = run.series->at(i);
            rps << QPointF(double(t.elapsedMs) / 1000.0, t.rps);
            p99 << QPointF(double(t.elapsedMs) / 1000.0, t.p99Us / 1000.0);
        }
    }
    m_throughput->setOverlay(name + tr(" requests/s"), rps);
    m_latency->setOverlay(name + tr(" p99"), p99);
}

void ChartsPanel::saveComparedReport()
{
    const int index = m_compareBox->currentIndex() - 1;
    if (!m_history || index < 0) {
        Q_EMIT message(tr("Choose a past run under “Compare with” first"));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the past run's report"),
        QStringLiteral("swarm-run%1.json").arg(m_history->runs()[index].number),
        tr("JSON (*.json)"));
    if (path.isEmpty()) return;
    QString error;
    Q_EMIT message(
        m_history->writeReport(index, path, &error) ? tr("Report written to %1").arg(path) : error);
}

bool ChartsPanel::saveAll(const QString& path, QString* error)
{
    QPixmap image(size());
    image.fill(palette().color(QPalette::Window));
    QPainter p(&image);
    for (TimeChart* c : charts())
        p.drawPixmap(c->geometry().topLeft(), c->grab());
    p.end();
    if (!image.save(path, "PNG")) {
        *error = tr("cannot write %1").arg(path);
        return false;
    }
    return true;
}

void ChartsPanel::saveChartDialog(TimeChart* chart)
{
    const QString name
        = chart ? chart->objectName().remove(QStringLiteral("Chart")) : QStringLiteral("charts");
    const QString path = QFileDialog::getSaveFileName(this,
        chart ? tr("Save “%1” as PNG").arg(chart->title()) : tr("Save the charts as PNG"),
        QStringLiteral("swarm-%1.png").arg(name), tr("PNG images (*.png)"));
    if (path.isEmpty()) return;
    QString error;
    const bool ok = chart ? chart->savePng(path, &error) : saveAll(path, &error);
    Q_EMIT message(ok ? tr("Saved %1").arg(path) : tr("Could not save: %1").arg(error));
}

} // namespace swarm
