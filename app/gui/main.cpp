// smtp-workbench: the window. For now a code lookup over the shared knowledge; the session
// view comes with the live session engine.

#include "knowledge/explainer.h"
#include "protocol/replyparser.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QTextBrowser>
#include <QVBoxLayout>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("SMTP Workbench"));

    QMainWindow window;
    window.setWindowTitle(QStringLiteral("SMTP Workbench"));
    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    auto *input = new QLineEdit;
    input->setPlaceholderText(QStringLiteral("Type a code or a reply: 452 4.2.2, 5.7.26, 550 5.1.1 User unknown"));
    auto *view = new QTextBrowser;
    layout->addWidget(new QLabel(QStringLiteral("Code lookup")));
    layout->addWidget(input);
    layout->addWidget(view);
    window.setCentralWidget(central);

    smtp::Explainer explainer;
    QObject::connect(input, &QLineEdit::textChanged, view, [&](const QString &text) {
        const QString trimmed = text.trimmed();
        smtp::Explanation e;
        if (const auto status = smtp::EnhancedStatus::parse(trimmed)) {
            e = explainer.explainEnhanced(*status);
        } else {
            smtp::ReplyParser parser;
            parser.feed(trimmed.toUtf8() + "\r\n");
            const auto replies = parser.takeReplies();
            if (replies.isEmpty())
                return;
            e = explainer.explain(replies.first());
        }
        view->setPlainText(e.summary + QStringLiteral("\n\n") + e.action + QStringLiteral("\n\nSee: ")
                           + e.references.join(QStringLiteral(", ")));
    });
    window.resize(900, 600);
    window.show();
    return app.exec();
}
