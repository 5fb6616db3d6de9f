// The window as a fleet controller (`swarm --fleet ...` without --headless): the run panel lists
// the agents in a table (address, index, state, connections, share, req/s, last error), + acts on
// the fleet (a real agent process against a real redis-server), and the figures the window shows
// are the agent's, merged.
#include "MainWindow.h"
#include "core/LoadDriver.h"
#include "run/AgentsModel.h"
#include "run/AgentsView.h"
#include "run/RunPanel.h"
#include "run/RunSession.h"

#include "TestServers.h"

#include <QFile>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

#include "GuiTestUtil.h"

using namespace swarm;
using namespace swarm::test;

namespace {
constexpr int kTimeout = 30000; // an agent process starting on a busy machine, then one poll
const char kScenario[] = "protocol: redis\n"
                         "actions:\n"
                         "  - command: ping\n"
                         "    rounds: 1\n"
                         "    sleep_between_rounds: 0\n"
                         "    sleep_after_action: 0.05\n";
} // namespace

class TestFleetWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::useFreshSettings(); }
    void panelListsAgentsAndPlusActsOnTheFleet();
};

void TestFleetWindow::panelListsAgentsAndPlusActsOnTheFleet()
{
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    QTemporaryDir dir;
    const QString scenario = writeFile(dir, QStringLiteral("ping.yml"), kScenario);
    const quint16 agentPort = freePort();
    SwarmProcess agent;
    QVERIFY2(agent.start({QStringLiteral("-r"), QStringLiteral("127.0.0.1:%1").arg(redis.port()),
                             QStringLiteral("-s"), scenario, QStringLiteral("-p"),
                             sourcePath(QStringLiteral("protocols")), QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:%1").arg(agentPort),
                             QStringLiteral("--console-token"), QStringLiteral("t0ken"),
                             QStringLiteral("--source-ip"), QStringLiteral("127.0.0.2"),
                             QStringLiteral("--agent-index"), QStringLiteral("2/3"),
                             QStringLiteral("--connect-spread"), QStringLiteral("0"),
                             QStringLiteral("--status-interval"), QStringLiteral("0")},
                 &error),
        qPrintable(error));

    Options options;
    options.console.port = 0;
    options.console.token = QStringLiteral("t0ken");
    options.script = scenario;
    options.protocolDir = sourcePath(QStringLiteral("protocols"));
    QVERIFY(FleetSpec::parse(
        QStringLiteral("127.0.0.1:%1").arg(agentPort), &options.fleetEntries, &error));
    options.fleet = QStringLiteral("127.0.0.1:%1").arg(agentPort);
    MainWindow window(options);
    window.show();
    window.startInitialRun();
    QTRY_COMPARE_WITH_TIMEOUT(window.session()->state(), RunSession::State::Ready, kTimeout);
    auto* agents = test::child<AgentsView>(window.runPanel(), "agentsView");
    const QAbstractItemModel* table = agents->model(); // what the view shows, sorted or not
    const auto cell = [table](int column) {
        return table->rowCount() == 1 ? table->index(0, column).data().toString() : QString();
    };
    const QString address = QStringLiteral("127.0.0.1:%1").arg(agentPort);
    QTRY_VERIFY_WITH_TIMEOUT(agents->isVisible() && cell(AgentsModel::State) == "up", kTimeout);
    QCOMPARE(table->columnCount(), int(AgentsModel::ColumnCount));
    QCOMPARE(cell(AgentsModel::Address), address);
    QCOMPARE(cell(AgentsModel::Index), QStringLiteral("2/3")); // the agent's --agent-index
    QCOMPARE(cell(AgentsModel::Connections), QStringLiteral("0"));
    QCOMPARE(cell(AgentsModel::LastError), QString());
    agents->selectRow(0); // a selection survives the updates that follow

    QTest::mouseClick(test::child<QPushButton>(window.runPanel(), "plusButton"), Qt::LeftButton);
    QCOMPARE(window.session()->engine()->target(), 10);
    const auto fromAgent = [&redis] {
        int n = 0;
        for (const QString& a : redis.clientAddresses())
            n += a.section(QLatin1Char(':'), 0, 0) == QLatin1String("127.0.0.2") ? 1 : 0;
        return n;
    };
    QTRY_VERIFY2_WITH_TIMEOUT(
        fromAgent() == 10, qPrintable(redis.clientAddresses().join(QLatin1Char(' '))), kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(window.session()->engine()->snapshot().connections, 10, kTimeout);
    // The row is the agent's, as redis counts it: 10 connections from its address.
    QTRY_COMPARE_WITH_TIMEOUT(cell(AgentsModel::Connections), QStringLiteral("10"), kTimeout);
    QCOMPARE(table->index(0, AgentsModel::Connections).data(Qt::UserRole).toInt(), fromAgent());
    QCOMPARE(cell(AgentsModel::Share), QStringLiteral("10"));
    QCOMPARE(cell(AgentsModel::State), QStringLiteral("up"));
    QCOMPARE(cell(AgentsModel::Address), address);
    // PING every 50 ms on 10 connections: about 200 a second once a full second is merged.
    QTRY_VERIFY_WITH_TIMEOUT(
        table->index(0, AgentsModel::Rps).data(Qt::UserRole).toDouble() > 0, kTimeout);
    QVERIFY(agents->selectionModel()->isRowSelected(0, QModelIndex()));
    window.close();
}

QTEST_MAIN(TestFleetWindow)
#include "tst_fleetwindow.moc"
