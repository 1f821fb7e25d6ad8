"""signsync: keep a statement page's signatory list in step with its Google Form.

Data flows one way: source -> responses -> names -> registry -> render -> publish.
"""

__version__ = "0.2.0"
