"""Ship the bank file layouts: the portal's generic layout and the unverified layouts of 工商银行,
农业银行 and 瑞丰银行 (the data as ``union_portal.payments.shipped`` had it when this migration was written).
Existing batches keep the generic layout (a batch without one is written in it)."""

from django.db import migrations

LAYOUTS = [
    {
        "name": "通用格式（门户）",
        "bank": "通用",
        "file_format": "xlsx",
        "encoding": "utf-8-sig",
        "header_row": True,
        "summary": "none",
        "purpose_template": "{purpose}",
        "columns": [
            {"source": "seq", "header": "序号"},
            {"source": "payee_name", "header": "收款人"},
            {"source": "account", "header": "收款账号"},
            {"source": "bank_name", "header": "开户行"},
            {"source": "amount", "header": "金额", "amount_rule": "yuan"},
            {"source": "purpose", "header": "用途"},
            {"source": "reference", "header": ""},
        ],
        "source_note": "门户的通用格式：回盘文件可用本文件加填 状态、银行流水号、失败原因 三列。",
        "is_generic": True,
    },
    {
        "name": "工商银行 企业网银 批量转账",
        "bank": "中国工商银行",
        "file_format": "xlsx",
        "encoding": "gbk",
        "header_row": True,
        "summary": "none",
        "purpose_template": "{purpose}",
        "columns": [
            {"source": "seq", "header": "顺序号"},
            {"source": "payer_account", "header": "付款账号"},
            {"source": "payer_name", "header": "付款账号名称"},
            {"source": "account", "header": "收款账号"},
            {"source": "payee_name", "header": "收款账号名称"},
            {"source": "bank_name", "header": "收款账号开户行"},
            {"source": "branch_code", "header": "收款行行号"},
            {"source": "amount", "header": "金额", "amount_rule": "yuan"},
            {"source": "fixed", "header": "币种", "text": "人民币"},
            {"source": "purpose", "header": "汇款用途"},
            {"source": "reference", "header": "备注信息"},
        ],
        "source_note": "未验证。依据：工行企业网银“企业财务室/批量工具”离线编辑批量指令文件后在网银“批量提交”的做法（公开问答摘录，无原始模板）；列名按工行批量支付模板常见的付款账号/收款账号/收款账号名称/金额/汇款用途整理，未与工行当前模板逐列核对。参考：https://blog.csdn.net/xuliangjun/article/details/142204541（工行银企直联接口清单，含代发工资单上传 "
        "PBI，仅说明接口存在）。",
    },
    {
        "name": "农业银行 企业网银 批量代发",
        "bank": "中国农业银行",
        "file_format": "csv",
        "encoding": "gbk",
        "header_row": True,
        "summary": "first",
        "purpose_template": "{purpose}{reference}",
        "columns": [
            {"source": "account", "header": "账号"},
            {"source": "payee_name", "header": "户名"},
            {"source": "amount", "header": "金额", "amount_rule": "yuan"},
            {"source": "purpose", "header": "备注"},
        ],
        "source_note": "未验证。依据：https://m.pdpei.com/2-911289.html（农行企业网银批量代发步骤：按农行模板准备代发文件，通常包括员工姓名、账号、金额）；首行汇总（总笔数、总金额）与无序号为推测，须以农行网银下载的模板核对。",
    },
    {
        "name": "瑞丰银行 企业网银 批量转账",
        "bank": "浙江绍兴瑞丰农村商业银行",
        "file_format": "csv",
        "encoding": "gb18030",
        "header_row": True,
        "summary": "last",
        "purpose_template": "{purpose}",
        "columns": [
            {"source": "seq", "header": "序号"},
            {"source": "account", "header": "收款人账号"},
            {"source": "payee_name", "header": "收款人户名"},
            {"source": "bank_name", "header": "收款行名称"},
            {"source": "branch_code", "header": "收款行行号"},
            {"source": "amount", "header": "金额", "amount_rule": "yuan"},
            {"source": "purpose", "header": "用途"},
            {"source": "reference", "header": "备注"},
        ],
        "source_note": "未验证。未找到瑞丰银行公开的企业网银批量转账模板；本格式按浙江农商银行企业网银批量转账的一般列（收款人账号、户名、收款行名称、行号、金额、用途）拟定，末行汇总。须向瑞丰银行柯桥支行索取模板核对。",
    },
]


def ship(apps, schema_editor):
    BankLayout = apps.get_model("union_portal", "BankLayout")
    for row in LAYOUTS:
        values = dict(row)
        BankLayout.objects.get_or_create(name=values.pop("name"), defaults=values)


def unship(apps, schema_editor):
    BankLayout = apps.get_model("union_portal", "BankLayout")
    PaymentBatch = apps.get_model("union_portal", "PaymentBatch")
    PaymentSetting = apps.get_model("union_portal", "PaymentSetting")
    names = [row["name"] for row in LAYOUTS]
    PaymentBatch.objects.filter(layout__name__in=names).update(layout=None)
    PaymentSetting.objects.filter(default_layout__name__in=names).delete()
    BankLayout.objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [("union_portal", "0007_bank_layouts")]

    operations = [migrations.RunPython(ship, unship)]
