import pytest

from tests.e2e.conftest import log_in


@pytest.mark.django_db(transaction=True)
def test_staff_log_in_with_two_factor_and_browse_the_tree(tree, new_page, shot, settings):
    page = new_page()

    log_in(page, "huashe_staff", settings.DEMO_PASSWORD)
    shot(page, "home")
    assert "欢迎" in page.inner_text("main")

    page.click("main >> text=工会组织")
    page.click("main >> text=华舍街道工会")
    shot(page, "township")
    assert "下级组织" in page.inner_text("main")


@pytest.mark.django_db(transaction=True)
def test_the_home_page_works_on_a_phone(tree, new_page, shot, settings):
    page = new_page(viewport={"width": 390, "height": 844})

    log_in(page, "worker", settings.DEMO_PASSWORD)
    shot(page, "worker-home-phone")
    assert page.is_visible(".navbar-toggler")
