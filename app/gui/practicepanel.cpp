#include "practicepanel.h"

#include "lab/labinspector.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>
#include <limits>

namespace smtp::gui {

PracticePanel::PracticePanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_scenarios = new QComboBox;
    for (const LabScenario &s : LabScenario::builtIn())
        m_scenarios->addItem(s.title, s.name);
    // The longest title does not set the dock's width; the list opens as wide as it needs.
    m_scenarios->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_scenarios->setMinimumContentsLength(18);
    m_description = new QLabel;
    m_description->setWordWrap(true);
    m_description->setTextFormat(Qt::RichText);
    m_startButton = new QPushButton(QStringLiteral("&Start and connect"));
    m_startButton->setToolTip(QStringLiteral("Start the practice server with this scenario on 127.0.0.1 and connect to it"));
    auto *stopButton = new QPushButton(QStringLiteral("Stop"));
    auto *openButton = new QPushButton(QStringLiteral("Open &file..."));
    openButton->setToolTip(QStringLiteral("Start a scenario from a file a teacher wrote (see the README) and connect to it"));
    m_faults = new QLineEdit;
    m_faults->setPlaceholderText(QStringLiteral("RCPT:451:10, DATA:delay=500-3000, MAIL:drop:5"));
    m_faults->setToolTip(QStringLiteral("STAGE:WHAT[:PERCENT], separated by commas. STAGE: CONNECT, a command, "
                                        "DATA_END or *; WHAT: a reply code, delay=MS[-MS] or drop"));
    m_seed = new QSpinBox;
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setSpecialValueText(QStringLiteral("random"));
    m_seed->setToolTip(QStringLiteral("The same seed gives the same faults to the same commands, run after run"));
    m_rate = new QSpinBox;
    m_rate->setRange(0, 100'000'000);
    m_rate->setSuffix(QStringLiteral(" bytes/s"));
    m_rate->setSpecialValueText(QStringLiteral("no limit"));
    m_rate->setToolTip(QStringLiteral("Replies trickle out at this rate; a few bytes a second make a tarpit"));
    auto *applyButton = new QPushButton(QStringLiteral("&Apply faults"));
    applyButton->setToolTip(QStringLiteral("Change the faults now, for the connections open and those to come"));
    connect(m_faults, &QLineEdit::returnPressed, applyButton, &QPushButton::click);
    connect(applyButton, &QPushButton::clicked, this, [this] {
        applyFaults(m_faults->text(), quint32(m_seed->value()), m_rate->value());
    });
    m_status = new QLabel(QStringLiteral("Not running."));
    m_status->setWordWrap(true); // a long status line wraps rather than widening the dock
    m_goalsTitle = new QLabel;
    m_goals = new QListWidget;
    m_goals->setAccessibleName(QStringLiteral("Exercises"));
    m_goals->setWordWrap(true);
    m_goals->setMaximumHeight(180);
    m_messages = new QListWidget;
    m_messages->setAccessibleName(QStringLiteral("Accepted messages"));
    m_messageView = new QPlainTextEdit;
    m_messageView->setReadOnly(true);
    m_messageView->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    layout->addWidget(new QLabel(QStringLiteral("<b>Scenario</b>")));
    layout->addWidget(m_scenarios);
    layout->addWidget(m_description);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_startButton);
    buttons->addWidget(stopButton);
    layout->addLayout(buttons);
    layout->addWidget(openButton); // its own row: the dock stays narrow
    auto *faults = new QFormLayout;
    faults->addRow(QStringLiteral("Fa&ults:"), m_faults);
    faults->addRow(QStringLiteral("See&d:"), m_seed);
    faults->addRow(QStringLiteral("&Rate:"), m_rate);
    faults->addRow(QString(), applyButton);
    layout->addLayout(faults);
    layout->addWidget(m_status);
    layout->addWidget(m_goalsTitle);
    layout->addWidget(m_goals);
    layout->addWidget(new QLabel(QStringLiteral("<b>Mail it accepted</b>")));
    layout->addWidget(m_messages, 1);
    layout->addWidget(m_messageView, 2);

    connect(m_scenarios, &QComboBox::currentIndexChanged, this, &PracticePanel::showScenario);
    connect(m_startButton, &QPushButton::clicked, this, [this] {
        if (start(currentScenario()))
            emit connectRequested(QStringLiteral("127.0.0.1"), m_server.port());
    });
    connect(stopButton, &QPushButton::clicked, this, &PracticePanel::stop);
    connect(openButton, &QPushButton::clicked, this, &PracticePanel::openFile);
    connect(&m_server, &LabServer::messageAccepted, this, &PracticePanel::refreshMessages);
    connect(&m_server, &LabServer::goalReached, this, [this](const QString &, const QString &, const QString &title) {
        showGoals();
        emit message(QStringLiteral("Exercise done: %1").arg(title));
    });
    connect(m_messages, &QListWidget::currentRowChanged, this, [this](int row) {
        const QList<LabMessage> messages = m_server.messages();
        if (row < 0 || row >= messages.size())
            return;
        const LabMessage &m = messages.at(row);
        // The inspector: envelope, warnings, headers, MIME tree, decoded parts, raw lines.
        m_messageView->setPlainText(LabInspection::of(m).toText(m));
    });
    showScenario();
    showGoals();
}

QString PracticePanel::currentScenario() const
{
    return m_scenarios->currentData().toString();
}

bool PracticePanel::start(const QString &name)
{
    QString error;
    const auto scenario = LabScenario::load(name, &error); // a built-in name, or a teacher's file
    if (!scenario) {
        emit message(QStringLiteral("No practice scenario: %1.").arg(error));
        m_status->setText(QStringLiteral("Could not start: ") + error);
        return false;
    }
    int index = m_scenarios->findData(name);
    if (index < 0) { // a file: listed under its title, kept for this run
        m_files.insert(name, *scenario);
        m_scenarios->addItem(QStringLiteral("%1 (file)").arg(scenario->title), name);
        index = m_scenarios->count() - 1;
    }
    m_scenarios->setCurrentIndex(index);
    if (!m_server.start(*scenario)) {
        const QString why = m_server.errorString();
        m_status->setText(QStringLiteral("Could not start: ") + why);
        emit message(QStringLiteral("The practice server could not start: ") + why);
        return false;
    }
    m_status->setText(QStringLiteral("Running \"%1\" on 127.0.0.1 port %2.").arg(scenario->title).arg(m_server.port()));
    showFaults(*scenario);
    showGoals();
    refreshMessages();
    return true;
}

// This machine's connections come from the loopback address: their goals are the ones shown.
void PracticePanel::showGoals()
{
    const QList<LabGoal> &goals = m_server.progress().goals();
    const QStringList done = m_server.progress().reached(QStringLiteral("127.0.0.1"));
    m_goals->clear();
    for (const LabGoal &g : goals) {
        auto *item = new QListWidgetItem(g.title, m_goals);
        item->setFlags(Qt::ItemIsEnabled); // ticked by the server, not by a click
        item->setCheckState(done.contains(g.id) ? Qt::Checked : Qt::Unchecked);
        item->setToolTip(g.hint.isEmpty() ? g.title : QStringLiteral("How: ") + g.hint);
    }
    m_goalsTitle->setText(QStringLiteral("<b>Exercises: %1 of %2 done</b>").arg(done.size()).arg(goals.size()));
    m_goalsTitle->setVisible(!goals.isEmpty());
    m_goals->setVisible(!goals.isEmpty());
}

void PracticePanel::showFaults(const LabScenario &scenario)
{
    m_faults->setText(faultsSpec(scenario.faults));
    m_seed->setValue(int(qMin<quint32>(scenario.seed, quint32(std::numeric_limits<int>::max()))));
    m_rate->setValue(scenario.bytesPerSecond);
}

bool PracticePanel::applyFaults(const QString &spec, quint32 seed, int bytesPerSecond)
{
    QString error;
    const auto faults = parseFaults(spec, &error);
    if (!faults) {
        m_status->setText(QStringLiteral("Faults not changed: ") + error);
        emit message(QStringLiteral("Faults not changed: ") + error);
        return false;
    }
    m_server.setFaults(*faults, seed, bytesPerSecond);
    const QString now = faults->isEmpty() ? QStringLiteral("none") : faultsSpec(*faults);
    m_status->setText(QStringLiteral("Faults now: %1%2%3.")
                          .arg(now, seed ? QStringLiteral(", seed %1").arg(seed) : QString(),
                               bytesPerSecond ? QStringLiteral(", %1 bytes/s").arg(bytesPerSecond) : QString()));
    return true;
}

void PracticePanel::stop()
{
    m_server.stop();
    m_status->setText(QStringLiteral("Not running."));
}

void PracticePanel::showScenario()
{
    const QString id = currentScenario();
    std::optional<LabScenario> shown;
    if (m_files.contains(id))
        shown = m_files.value(id);
    for (const LabScenario &s : LabScenario::builtIn())
        if (s.name == id)
            shown = s;
    if (shown)
        m_description->setText(QStringLiteral("%1<br><i>Teaches: %2</i>")
                                   .arg(shown->description.toHtmlEscaped(), shown->teaches.toHtmlEscaped()));
}

bool PracticePanel::openFile()
{
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Open a practice scenario"), QString(),
                                                      QStringLiteral("Scenarios (*.json);;All files (*)"));
    if (path.isEmpty())
        return false;
    if (!start(path))
        return false;
    emit connectRequested(QStringLiteral("127.0.0.1"), m_server.port());
    return true;
}

void PracticePanel::refreshMessages()
{
    m_messages->clear();
    for (const LabMessage &m : m_server.messages())
        m_messages->addItem(QStringLiteral("%1  <%2> \u2192 %3")
                                .arg(m.received.toString(QStringLiteral("HH:mm:ss")), m.sender,
                                     m.recipients.join(QStringLiteral(", "))));
    if (m_messages->count() > 0)
        m_messages->setCurrentRow(m_messages->count() - 1);
}

} // namespace smtp::gui
