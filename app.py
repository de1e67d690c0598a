"""Streamlit entry: page config, the login gate, and navigation by role. Routes only.

`streamlit run app.py` first imports this file as the module `app` and serves `app`, an
`st.App` of this same file with the browser cookie's middleware (annotator/ui/browser_cookie.py:
what keeps a sign-in across reloads); Streamlit then runs the file as `__main__` for every run
of every browser tab (as AppTest does): the pages below."""

import streamlit as st

if __name__ != "__main__":  # imported by `streamlit run app.py`: the server
    from annotator.ui.browser_cookie import middleware

    app = st.App(__file__, middleware=middleware())
else:  # a run of the script: the pages
    from annotator.services import accounts
    from annotator.services.permissions import is_admin, leads_projects
    from annotator.ui import state
    from annotator.ui.components import inject_style, literal
    from annotator.ui.project_picker import project_picker
    from annotator.ui.resources import db_session, sessions

    st.set_page_config(page_title="Claim Annotator", page_icon="🗞️", layout="centered")
    inject_style()  # one stylesheet for every page, so titles sit at the same height
    sessions()

    user = state.live_user()  # None once the tab's login session has ended: it is logged out
    if user is None:
        with db_session() as session:
            first_start = not accounts.has_users(session)
        gate = "first_start.py" if first_start else "login.py"
        st.navigation(
            [st.Page(f"annotator/ui/pages/{gate}", title="Sign in")], position="hidden"
        ).run()
    else:
        pages = {
            "Label": [
                st.Page(
                    "annotator/ui/pages/annotate.py", title="Annotate", icon=":material/edit_note:"
                ),
                st.Page(
                    "annotator/ui/pages/fact_check.py",
                    title="Fact-check",
                    icon=":material/fact_check:",
                ),
            ]
        }
        if leads_projects(user.role):
            pages["Data"] = [
                st.Page(
                    "annotator/ui/pages/agreement.py",
                    title="Agreement",
                    icon=":material/handshake:",
                ),
                st.Page(
                    "annotator/ui/pages/adjudicate.py", title="Adjudicate", icon=":material/gavel:"
                ),
                st.Page("annotator/ui/pages/export.py", title="Export", icon=":material/download:"),
                st.Page(
                    "annotator/ui/pages/model.py", title="Model", icon=":material/model_training:"
                ),
            ]
            pages["Manage"] = [
                st.Page(
                    "annotator/ui/pages/projects.py",
                    title="Projects",
                    icon=":material/folder_open:",
                ),
                st.Page(
                    "annotator/ui/pages/import_articles.py",
                    title="Import",
                    icon=":material/upload_file:",
                ),
                st.Page(
                    "annotator/ui/pages/progress.py", title="Progress", icon=":material/monitoring:"
                ),
            ]
        if is_admin(user.role):
            pages["Admin"] = [
                st.Page("annotator/ui/pages/users.py", title="Users", icon=":material/group:")
            ]
        pages["You"] = [
            st.Page("annotator/ui/pages/account.py", title="Account", icon=":material/key:")
        ]
        page = st.navigation(pages)
        lead_pages = {p.url_path for p in (*pages.get("Data", []), *pages.get("Manage", []))}
        with st.sidebar:
            project_picker(user, led_only=page.url_path in lead_pages)
            st.caption(f"Signed in as **{literal(user.name)}** ({user.role})")
            st.button("Log out", on_click=state.log_out, key="logout")
        page.run()
