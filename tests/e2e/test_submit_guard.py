"""Submit buttons disable themselves while a form is posted (issue 16): a double click sends one POST, the
clicked button's name and value are still posted, a submit the browser's validation stops leaves the buttons
usable, and so does coming back to the page. static/js/submit-guard.js, loaded by base.html."""

import time

import pytest

# The login page is the one page every visitor reaches; the other forms are added to it by the tests, shaped
# like crispy's forms (<input type=submit name=submit value=…>).
ADD_FORM = """([action, id, inner]) => {
  const form = document.createElement("form");
  form.method = "post"; form.action = action; form.enctype = "multipart/form-data"; form.id = id;
  form.innerHTML = inner;
  document.querySelector("main").appendChild(form);
}"""
UPLOAD = '<input type="file" name="file"><input type="submit" name="submit" value="上传" id="upload-submit">'


def _slowly(route):
    if route.request.method == "POST":
        time.sleep(0.8)
    route.continue_()


def _posts(page, path):
    sent = []
    page.on("request", lambda r: sent.append(r) if r.method == "POST" and path in r.url else None)
    return sent


@pytest.mark.django_db(transaction=True)
def test_a_double_clicked_submit_sends_one_post(tree, new_page, settings):
    # given the login page on a phone with the worker's credentials typed in
    page = new_page(viewport={"width": 390, "height": 844})
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "worker")
    page.fill("input[name=password]", settings.DEMO_PASSWORD)
    sent = _posts(page, "/accounts/login/")
    # when the button is double-clicked while the server is slow to answer (an upload on a phone network)
    page.route("**/accounts/login/", _slowly)
    page.dblclick("main form button[type=submit]", delay=50)
    page.wait_for_load_state()
    page.wait_for_timeout(300)
    # then one POST was sent and the worker is logged in
    assert len(sent) == 1
    assert "欢迎" in page.inner_text("main")


@pytest.mark.django_db(transaction=True)
def test_a_double_clicked_upload_is_sent_once_with_the_buttons_name(tree, new_page, tmp_path):
    # given a crispy-style upload form with a file chosen
    page = new_page()
    page.goto("/accounts/login/")
    page.evaluate(ADD_FORM, ["/accounts/login/", "upload", UPLOAD])
    upload = tmp_path / "名单.csv"
    upload.write_text("name\n张三\n", encoding="utf-8")
    page.set_input_files("#upload input[type=file]", str(upload))
    sent = _posts(page, "/accounts/login/")
    # when its <input type=submit> is clicked twice in a row, before the page leaves
    posted = page.evaluate(
        """() => {
          const entries = [];
          document.addEventListener("formdata", (e) => {
            for (const [k, v] of e.formData.entries()) { entries.push([k, typeof v === "string" ? v : v.name]); }
          });
          const b = document.getElementById("upload-submit"); b.click(); b.click();
          return {busy: [b.disabled, b.value], entries: entries};
        }"""
    )
    page.wait_for_load_state()
    page.wait_for_timeout(500)
    # then the button said it was sending, one POST left, with the file and the clicked button's name and value
    assert posted["busy"] == [True, "提交中…"]
    assert len(sent) == 1
    assert ["submit", "上传"] in posted["entries"] and ["file", "名单.csv"] in posted["entries"]


@pytest.mark.django_db(transaction=True)
def test_a_submit_stopped_by_the_browsers_validation_leaves_the_button_usable(tree, new_page):
    # given a form with a required field left empty
    page = new_page()
    page.goto("/accounts/login/")
    page.route("**/nowhere/", lambda route: route.fulfill(status=200, body="ok"))
    inner = '<input name="note" id="note" required><button type="submit" id="send">发送</button>'
    page.evaluate(ADD_FORM, ["/nowhere/", "needs-note", inner])
    sent = _posts(page, "/nowhere/")
    # when its button is clicked
    page.click("#send")
    page.wait_for_timeout(300)
    # then nothing was sent, and once the field is filled the button sends the form
    assert sent == []
    assert page.is_enabled("#send")
    page.fill("#note", "有内容")
    page.click("#send")
    page.wait_for_load_state()
    assert len(sent) == 1


@pytest.mark.django_db(transaction=True)
def test_buttons_are_usable_again_when_the_page_is_shown_from_the_back_button_cache(tree, new_page):
    # given a form whose post left the page where it was (204), its buttons disabled
    page = new_page()
    page.goto("/accounts/login/")
    page.route("**/nowhere/", lambda route: route.fulfill(status=204))
    inner = '<button type="submit" name="decision" value="approve" id="approve">通过</button>'
    page.evaluate(ADD_FORM, ["/nowhere/", "decide", inner])
    page.click("#approve")
    page.wait_for_timeout(300)
    assert page.is_disabled("#approve")
    # when the page is shown again from the back-forward cache
    page.evaluate("() => window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    # then the button is usable, with its own label, and no copy of its value is left in the form
    assert page.is_enabled("#approve")
    assert page.inner_text("#approve") == "通过"
    assert page.locator("#decide input[type=hidden][name=decision]").count() == 0
