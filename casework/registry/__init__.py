"""The register of children in special circumstances (Luật Trẻ em Đ10, NĐ 56/2017).

Group memberships live on the child (``casework.children.models.ChildCircumstance``);
this feature adds what the register needs around them: the support each child receives,
and the proposals that cases make to the register, which a person confirms or dismisses.
"""
