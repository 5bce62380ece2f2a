// Package ui is kubetab's go-app components: the pages (the playground at / and /s/<id>,
// the tutorial at /tutorial and /tutorial/NAME, the embed widget at /embed; Routes) and the
// views they are made of (time controls, workspace, editor, terminal, cluster view, event
// timeline, side panel, Share button), and the lessons' Markdown as elements. The pages
// compile natively too, so that the server pre-renders them.
//
// State flows one way: the session (app/session) notifies, a page copies what
// changed out of it (app/snapshot for the cluster) and hands its views plain
// props, named plainly. A view talks back through a small interface its page implements
// (clusterPage, editorPage, panelPage, terminalPage, workspacePage), never through a
// pointer to the page's type; a view that only drives the session (the time controls, the
// prompt, the files) holds the session.
//
// It may import go-app, the session and the packages that say what they draw
// (snapshot, podchips, highlight, complete, sharelink, widget, lessons, samples); none of
// those imports it, and it never imports the server or the CLI.
package ui
