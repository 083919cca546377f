import setuptools

with open('VERSION.txt', 'r') as f:
    version = f.read().strip()

setuptools.setup(
    name="odoo11-addons-crm-suite",
    description="Meta package for crm-suite Odoo addons",
    version=version,
    install_requires=[
        'odoo11-addon-crm_lead_scoring',
        'odoo11-addon-crm_public_pool',
        'odoo11-addon-crm_service_ticket',
    ],
    classifiers=[
        'Programming Language :: Python',
        'Framework :: Odoo',
        'Framework :: Odoo :: 11.0',
    ]
)
