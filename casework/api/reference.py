"""Reference data (docs/api.md, "Reference data"): plain lists of the active rows.

Departments and officials (Nanchong art. 3, 22), grounds (Nanchong art. 4), sources
(Nanchong art. 5) and modes (Nanchong art. 13) of accountability; categories
(Xinxiang complaints art. 4) and outcomes (Xinxiang complaints art. 7) of complaints. Every list is
short, so none is paginated.
"""

from rest_framework import generics, serializers

from casework.accountability.models import Ground, Mode, Source
from casework.complaints.models import ComplaintCategory, ComplaintOutcome
from casework.org.models import Department, Official


class DepartmentSerializer(serializers.ModelSerializer):
    kind_name = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Department
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "kind_name",
            "vertical",
            "supervising_organ",
        ]


class OfficialSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True, allow_null=True)
    # Nanchong art. 22: the department is vertically managed.
    vertical = serializers.BooleanField(source="department.vertical", read_only=True)

    class Meta:
        model = Official
        fields = ["id", "name", "title", "department", "username", "vertical"]


class GroundSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = Ground
        fields = ["code", "name", "category", "category_name", "item", "article"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["code", "name", "article"]


class ModeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mode
        fields = ["code", "name", "requires_filing", "has_deadline", "article"]


class ComplaintCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ComplaintCategory
        fields = ["code", "name", "article"]


class ComplaintOutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComplaintOutcome
        fields = ["code", "name", "opens_accountability", "article"]


class ReferenceList(generics.ListAPIView):
    """A plain JSON list; authentication and permission are the project defaults."""

    pagination_class = None


class DepartmentList(ReferenceList):
    """Municipal government departments (Nanchong art. 3); `vertical` ones fall under
    Nanchong art. 22."""

    serializer_class = DepartmentSerializer
    queryset = Department.objects.filter(active=True).order_by("code")


class OfficialList(ReferenceList):
    """Department heads who may be held accountable, with their department's code."""

    serializer_class = OfficialSerializer
    queryset = (
        Official.objects.filter(active=True)
        .select_related("department", "user")
        .order_by("department__code", "name", "id")
    )


class GroundList(ReferenceList):
    """Grounds of accountability (Nanchong art. 4), `4.1.1` … `4.7`."""

    serializer_class = GroundSerializer
    queryset = Ground.objects.filter(active=True)


class SourceList(ReferenceList):
    """Sources that may lead the mayor to start a case (Nanchong art. 5)."""

    serializer_class = SourceSerializer
    queryset = Source.objects.filter(active=True)


class ModeList(ReferenceList):
    """Modes of accountability (Nanchong art. 13), `1` … `7` in the article's order."""

    serializer_class = ModeSerializer
    queryset = Mode.objects.filter(active=True)


class ComplaintCategoryList(ReferenceList):
    """Categories of complaint accepted (Xinxiang complaints art. 4)."""

    serializer_class = ComplaintCategorySerializer
    queryset = ComplaintCategory.objects.filter(active=True)


class ComplaintOutcomeList(ReferenceList):
    """Outcomes of complaint handling (Xinxiang complaints art. 7)."""

    serializer_class = ComplaintOutcomeSerializer
    queryset = ComplaintOutcome.objects.filter(active=True)
